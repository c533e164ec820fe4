package io.valerix.core.gremlin.internal;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The duration syntax shared by the text and JSON forms: {@code 0}, {@code 100us}, {@code 250ms},
 * {@code 1.5s}, {@code 2m}, {@code 1h}; units {@code ns us ms s m h}.
 *
 * <p>Stateless and thread-safe.
 */
public final class DurationText {

    private static final Pattern DURATION = Pattern.compile("(\\d+)(\\.\\d+)?(ns|us|ms|s|m|h)");
    private static final BigInteger MAX_NANOS = BigInteger.valueOf(Long.MAX_VALUE);

    private DurationText() {}

    /**
     * Parses {@code text}.
     *
     * @throws IllegalArgumentException naming the text when it is negative, lacks a unit, is finer
     *     than a nanosecond or too large
     */
    public static Duration parse(String text) {
        if (text.equals("0")) {
            return Duration.ZERO;
        }
        if (text.startsWith("-")) {
            throw new IllegalArgumentException("negative duration '" + text + "'");
        }
        Matcher m = DURATION.matcher(text);
        if (!m.matches()) {
            if (text.matches("\\d+(\\.\\d+)?")) {
                throw new IllegalArgumentException(
                        "duration '" + text + "' has no unit (expected ns, us, ms, s, m or h)");
            }
            throw new IllegalArgumentException("bad duration '" + text + "' (expected e.g. 0, 100us, 250ms, 1.5s, 2m)");
        }
        BigDecimal amount = new BigDecimal(m.group(1) + (m.group(2) == null ? "" : m.group(2)));
        BigDecimal nanos = amount.multiply(BigDecimal.valueOf(nanosPerUnit(m.group(3))));
        BigInteger whole;
        try {
            whole = nanos.toBigIntegerExact();
        } catch (ArithmeticException finer) {
            throw new IllegalArgumentException("duration '" + text + "' is finer than a nanosecond", finer);
        }
        if (whole.compareTo(MAX_NANOS) > 0) {
            throw new IllegalArgumentException("duration '" + text + "' is too large");
        }
        return Duration.ofNanos(whole.longValueExact());
    }

    /** The shortest exact text for {@code duration}: the largest unit that divides it. */
    public static String format(Duration duration) {
        if (duration.isNegative()) {
            throw new IllegalArgumentException("negative duration " + duration);
        }
        long nanos = duration.toNanos();
        if (nanos == 0) {
            return "0ms";
        }
        String[] units = {"h", "m", "s", "ms", "us"};
        for (String unit : units) {
            long per = nanosPerUnit(unit);
            if (nanos % per == 0) {
                return nanos / per + unit;
            }
        }
        return nanos + "ns";
    }

    /** Like {@link #format} but also for negative durations, for error messages. */
    public static String formatSigned(Duration duration) {
        return duration.isNegative() ? "-" + format(duration.negated()) : format(duration);
    }

    private static long nanosPerUnit(String unit) {
        return switch (unit) {
            case "ns" -> 1L;
            case "us" -> 1_000L;
            case "ms" -> 1_000_000L;
            case "s" -> 1_000_000_000L;
            case "m" -> 60_000_000_000L;
            case "h" -> 3_600_000_000_000L;
            default -> throw new IllegalArgumentException("unknown unit '" + unit + "'");
        };
    }
}
