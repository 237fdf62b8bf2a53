package io.sluice.compose;

import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Just enough PromQL for the dashboard checks: which metrics an expression names, and Grafana's variables filled in. */
final class PromQl {

    /** Grafana's built-in variables, replaced by values of the same kind so promtool can parse the expression. */
    private static final Map<String, String> GRAFANA_BUILT_INS = Map.of(
            "$__rate_interval", "1m", "$__interval", "1m", "$__range", "1h");
    private static final Pattern VARIABLE = Pattern.compile("\\$\\{?\\w+(?::\\w+)?}?");

    private static final Pattern STRING = Pattern.compile("\"(?:[^\"\\\\]|\\\\.)*\"|'(?:[^'\\\\]|\\\\.)*'");
    private static final Pattern LABEL_MATCHERS = Pattern.compile("\\{[^}]*}");
    private static final Pattern RANGE = Pattern.compile("\\[[^]]*]");
    private static final Pattern LABEL_LIST = Pattern.compile(
            "\\b(?:by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)");
    /** A name not followed by `(` (that is a function or an aggregation) and not glued to a number (`5m`, `1e3`). */
    private static final Pattern NAME = Pattern.compile("\\b[a-zA-Z_:][a-zA-Z0-9_:]*\\b(?!\\s*\\()");
    private static final Set<String> KEYWORDS = Set.of(
            "and", "or", "unless", "bool", "offset", "by", "without", "on", "ignoring", "group_left", "group_right",
            "inf", "nan", "Inf", "NaN");

    private PromQl() {
    }

    /** The expression as Prometheus would see it: Grafana's variables replaced, user variables by {@code value}. */
    static String withVariables(String expression, String value) {
        String result = expression;
        for (Map.Entry<String, String> builtIn : GRAFANA_BUILT_INS.entrySet()) {
            result = result.replace(builtIn.getKey(), builtIn.getValue());
        }
        return VARIABLE.matcher(result).replaceAll(Matcher.quoteReplacement(value));
    }

    /** The metric names an expression selects, e.g. {@code up} and {@code jvm_memory_used_bytes}. */
    static Set<String> metricNames(String expression) {
        String selectors = withVariables(expression, "x");
        selectors = STRING.matcher(selectors).replaceAll("\"\"");
        selectors = LABEL_MATCHERS.matcher(selectors).replaceAll(" ");
        selectors = RANGE.matcher(selectors).replaceAll(" ");
        selectors = LABEL_LIST.matcher(selectors).replaceAll(" ");
        Set<String> names = new TreeSet<>();
        Matcher name = NAME.matcher(selectors);
        while (name.find()) {
            if (!KEYWORDS.contains(name.group())) {
                names.add(name.group());
            }
        }
        return names;
    }
}
