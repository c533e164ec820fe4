package io.valerix.harness.text;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Durations as people write them on the harness's command line and in its schedules: {@code
 * 300ms}, {@code 2s}, {@code 1.5s}, {@code 2m}, {@code 1h}, or ISO-8601 {@code PT2S}; and back. The
 * one grammar for {@code --duration}, {@code --kill 'order:every 15s'} and {@code --link
 * 'blackhole 10s at 30s'}, so a duration that works in one works in all. Stateless and thread-safe.
 */
public final class DurationText {

    private static final Pattern SIMPLE = Pattern.compile("(\\d+(?:\\.\\d+)?)(ms|s|m|h)");

    private DurationText() {}

    /**
     * Reads a duration.
     *
     * @throws IllegalArgumentException naming the text and the forms it takes
     */
    public static Duration parse(String text) {
        String t = text.strip();
        Matcher matcher = SIMPLE.matcher(t);
        if (matcher.matches()) {
            double amount = Double.parseDouble(matcher.group(1));
            double millis = switch (matcher.group(2)) {
                case "ms" -> amount;
                case "s" -> amount * 1_000;
                case "m" -> amount * 60_000;
                default -> amount * 3_600_000;
            };
            return Duration.ofNanos(Math.round(millis * 1_000_000));
        }
        try {
            return Duration.parse(t);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("'" + text + "' is not a duration; write it like 300ms, 2s, 1.5s or 2m");
        }
    }

    /** The short form {@link #parse} reads back: {@code 10s} for whole seconds, else {@code 1500ms}. */
    public static String format(Duration duration) {
        long millis = duration.toMillis();
        return millis % 1000 == 0 ? millis / 1000 + "s" : millis + "ms";
    }
}
