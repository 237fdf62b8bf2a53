package io.sluice.e2e;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Just enough PromQL to find the series selectors of an expression ({@code name{label="value"}}), so that a check
 * can ask Prometheus whether each selects any series: an alert's expression returns data only while it fires.
 */
final class PromQlSelectors {

    private static final Pattern RANGE = Pattern.compile("\\[[^]]*]");
    private static final Pattern LABEL_LIST = Pattern.compile(
            "\\b(?:by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)");
    /** A name, its label matchers if any (quoted values may hold anything but a closing quote). */
    private static final Pattern SELECTOR = Pattern.compile(
            "\\b([a-zA-Z_:][a-zA-Z0-9_:]*)\\b\\s*(\\{(?:[^}\"]|\"(?:[^\"\\\\]|\\\\.)*\")*})?(\\s*\\()?");
    private static final Set<String> KEYWORDS = Set.of(
            "and", "or", "unless", "bool", "offset", "by", "without", "on", "ignoring", "group_left", "group_right",
            "inf", "nan", "Inf", "NaN");

    private PromQlSelectors() {
    }

    /** The selectors of {@code expression}, in order, e.g. {@code up{job="a"}} and {@code jvm_memory_used_bytes}. */
    static List<String> of(String expression) {
        String stripped = LABEL_LIST.matcher(RANGE.matcher(expression).replaceAll(" ")).replaceAll(" ");
        List<String> selectors = new ArrayList<>();
        Matcher match = SELECTOR.matcher(stripped);
        while (match.find()) {
            boolean function = match.group(3) != null && match.group(2) == null;
            if (function || KEYWORDS.contains(match.group(1)) || isNumberSuffix(stripped, match.start())) {
                continue;
            }
            selectors.add(match.group(1) + (match.group(2) == null ? "" : match.group(2)));
        }
        return selectors;
    }

    /** A name glued to a number ({@code 1e3}) is part of the number. */
    private static boolean isNumberSuffix(String text, int start) {
        return start > 0 && Character.isDigit(text.charAt(start - 1));
    }
}
