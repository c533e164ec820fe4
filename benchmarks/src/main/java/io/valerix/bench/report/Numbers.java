package io.valerix.bench.report;

import java.util.Locale;

/** How figures are written: a few significant digits, thousands separated, never a bare NaN. */
final class Numbers {

    private Numbers() {}

    static String format(double value) {
        if (Double.isNaN(value) || Double.isInfinite(value)) {
            return "n/a";
        }
        double magnitude = Math.abs(value);
        if (magnitude >= 100) {
            return String.format(Locale.ROOT, "%,.0f", value);
        }
        if (magnitude >= 10) {
            return String.format(Locale.ROOT, "%.1f", value);
        }
        return String.format(Locale.ROOT, "%.2f", value);
    }

    /** {@code value ± error}, or just the value when JMH gave no error bound. */
    static String withError(double value, double error) {
        return Double.isNaN(error) ? format(value) : format(value) + " ± " + format(error);
    }

    static String ratio(double value) {
        if (Double.isNaN(value) || Double.isInfinite(value)) {
            return "n/a";
        }
        return String.format(Locale.ROOT, value >= 10 ? "%.0f×" : "%.1f×", value);
    }

    static String bytes(Double value) {
        return value == null ? "–" : format(value);
    }
}
