package io.valerix.harness.chaos;

import io.valerix.harness.text.DurationText;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * When a scheduled fault strikes, counted from the moment the run starts sending: {@code at 40s}
 * (once), {@code every 15s} (at 15 s, 30 s, …) or {@code every 15s from 5s} (at 5 s, 20 s, …).
 * The timing part of {@code --kill 'order:every 15s'}, and meant for any other scheduled fault
 * (a link fault's {@code 'blackhole 10s at 30s'} ends in the same words). Immutable.
 *
 * <p>Durations are read by {@link DurationText}, as {@code --duration} reads them.
 */
public final class FaultSchedule {

    private static final Pattern AT = Pattern.compile("at\\s+(\\S+)");
    private static final Pattern EVERY = Pattern.compile("every\\s+(\\S+)(?:\\s+from\\s+(\\S+))?");

    private final Duration first;
    private final Duration every;

    private FaultSchedule(Duration first, Duration every) {
        this.first = first;
        this.every = every;
    }

    /** Once, {@code at} after the start. */
    public static FaultSchedule at(Duration at) {
        Objects.requireNonNull(at, "at");
        if (at.isNegative()) {
            throw new IllegalArgumentException("a fault's time must not be negative, but was " + at);
        }
        return new FaultSchedule(at, null);
    }

    /** Every {@code period}, the first time at {@code from}. */
    public static FaultSchedule every(Duration period, Duration from) {
        Objects.requireNonNull(period, "period");
        Objects.requireNonNull(from, "from");
        if (period.compareTo(Duration.ofSeconds(1)) < 0) {
            throw new IllegalArgumentException("a fault's period must be at least 1s, but was " + period);
        }
        if (from.isNegative()) {
            throw new IllegalArgumentException("a fault's first time must not be negative, but was " + from);
        }
        return new FaultSchedule(from, period);
    }

    /**
     * Parses {@code at D}, {@code every D} or {@code every D from D}.
     *
     * @throws IllegalArgumentException naming the text and what was expected
     */
    public static FaultSchedule parse(String text) {
        String t = Objects.requireNonNull(text, "text").strip().toLowerCase(Locale.ROOT);
        Matcher at = AT.matcher(t);
        if (at.matches()) {
            return at(duration(at.group(1), text));
        }
        Matcher every = EVERY.matcher(t);
        if (every.matches()) {
            Duration period = duration(every.group(1), text);
            return every(period, every.group(2) == null ? period : duration(every.group(2), text));
        }
        throw new IllegalArgumentException(
                "a schedule is 'at 40s', 'every 15s' or 'every 15s from 5s', but was '" + text + "'");
    }

    private static Duration duration(String word, String whole) {
        try {
            return DurationText.parse(word);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(e.getMessage() + " (in '" + whole + "')", e);
        }
    }

    /** The times it strikes before {@code end}, in order. */
    public List<Duration> timesBefore(Duration end) {
        List<Duration> times = new ArrayList<>();
        for (Duration t = first; t.compareTo(end) < 0; t = t.plus(every)) {
            times.add(t);
            if (every == null) {
                break;
            }
        }
        return times;
    }

    /** The text {@link #parse} reads back. */
    public String toText() {
        if (every == null) {
            return "at " + DurationText.format(first);
        }
        return "every " + DurationText.format(every)
                + (first.equals(every) ? "" : " from " + DurationText.format(first));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FaultSchedule s && first.equals(s.first) && Objects.equals(every, s.every);
    }

    @Override
    public int hashCode() {
        return Objects.hash(first, every);
    }

    @Override
    public String toString() {
        return toText();
    }
}
