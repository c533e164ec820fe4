package io.valerix.core.gremlin.internal;

import java.math.BigDecimal;
import java.util.regex.Pattern;

/**
 * Plain decimal numbers in the text form ({@code 0.5}, {@code 1.5}, {@code 503}): no sign, no
 * exponent, so that every number has one spelling and {@code toText} round-trips exactly.
 *
 * <p>Stateless and thread-safe.
 */
public final class NumberText {

    private static final Pattern DECIMAL = Pattern.compile("\\d+(\\.\\d+)?");
    private static final Pattern INTEGER = Pattern.compile("\\d{1,9}");

    private NumberText() {}

    /**
     * Parses a plain non-negative decimal.
     *
     * @throws IllegalArgumentException naming the text when it is not one
     */
    public static double parseDecimal(String text, String what) {
        if (!DECIMAL.matcher(text).matches()) {
            throw new IllegalArgumentException(
                    "bad " + what + " '" + text + "' (expected a plain decimal number like 0.5)");
        }
        return Double.parseDouble(text);
    }

    /**
     * Parses a plain non-negative integer of at most nine digits.
     *
     * @throws IllegalArgumentException naming the text when it is not one
     */
    public static int parseInteger(String text, String what) {
        if (!INTEGER.matcher(text).matches()) {
            throw new IllegalArgumentException("bad " + what + " '" + text + "' (expected an integer like 503)");
        }
        return Integer.parseInt(text);
    }

    /**
     * The shortest plain decimal that parses back to {@code value}; {@link Double#toString} gives
     * the shortest round-tripping digits, {@code toPlainString} removes its exponent.
     */
    public static String format(double value) {
        String plain = BigDecimal.valueOf(value).stripTrailingZeros().toPlainString();
        return plain.contains(".") ? plain : plain + ".0";
    }
}
