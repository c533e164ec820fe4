package io.valerix.core.health.internal;

import java.util.regex.Pattern;

/**
 * The lexical rules of the Prometheus text exposition format 0.0.4: names, escaping, numbers.
 *
 * <p>Stateless and thread-safe.
 */
public final class PrometheusText {

    // Colons are legal in metric names but reserved for recording rules, so we refuse them.
    private static final Pattern METRIC_NAME = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");
    private static final Pattern LABEL_NAME = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");
    // Integral values below this print without a fraction, exactly: doubles hold integers to 2^53.
    private static final double LARGEST_EXACT_INTEGER = 9.007199254740992E15;

    private PrometheusText() {}

    /** Whether {@code name} is a metric name we accept. */
    public static boolean isMetricName(String name) {
        return METRIC_NAME.matcher(name).matches();
    }

    /** Whether {@code name} is a label name a user may set (not reserved by {@code __}). */
    public static boolean isLabelName(String name) {
        return LABEL_NAME.matcher(name).matches() && !name.startsWith("__");
    }

    /** Escapes a label value: backslash, double quote and line feed. */
    public static void appendLabelValue(StringBuilder out, String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '\\' -> out.append("\\\\");
                case '"' -> out.append("\\\"");
                case '\n' -> out.append("\\n");
                default -> out.append(c);
            }
        }
    }

    /** Escapes HELP text: backslash and line feed (quotes stay as they are there). */
    public static void appendHelp(StringBuilder out, String help) {
        for (int i = 0; i < help.length(); i++) {
            char c = help.charAt(i);
            switch (c) {
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                default -> out.append(c);
            }
        }
    }

    /**
     * Formats a sample value as Go's {@code ParseFloat} reads it: integers without a fraction,
     * {@code NaN}, {@code +Inf}, {@code -Inf}, otherwise Java's shortest round-trip form.
     */
    public static String formatValue(double value) {
        if (Double.isNaN(value)) {
            return "NaN";
        }
        if (Double.isInfinite(value)) {
            return value > 0 ? "+Inf" : "-Inf";
        }
        if (value == Math.rint(value) && Math.abs(value) < LARGEST_EXACT_INTEGER) {
            return Long.toString((long) value);
        }
        return Double.toString(value);
    }

    /** Formats a bucket bound for {@code le}: always with a fraction, as in {@code le="1.0"}. */
    public static String formatBound(double bound) {
        return Double.isInfinite(bound) ? "+Inf" : Double.toString(bound);
    }
}
