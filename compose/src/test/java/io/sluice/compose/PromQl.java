package io.sluice.compose;

import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Just enough PromQL for the dashboard checks: Grafana's variables filled in, so that promtool can parse a query. */
final class PromQl {

    /** Grafana's built-in variables, replaced by values of the same kind so promtool can parse the expression. */
    private static final Map<String, String> GRAFANA_BUILT_INS = Map.of(
            "$__rate_interval", "1m", "$__interval", "1m", "$__range", "1h");
    private static final Pattern VARIABLE = Pattern.compile("\\$\\{?\\w+(?::\\w+)?}?");

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
}
