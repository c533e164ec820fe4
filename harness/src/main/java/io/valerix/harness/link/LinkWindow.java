package io.valerix.harness.link;

import io.valerix.harness.text.DurationText;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A fault of the link for a while, counted from the start of a run: {@code blackhole 10s at 30s}
 * is a black hole from second 30 to second 40.
 *
 * @param fault what the link does in the window
 * @param start when the window opens, from the run's start
 * @param length how long it stays open
 */
public record LinkWindow(LinkFault fault, Duration start, Duration length) {

    // "<fault> [value] [for] <length> at <start>": the value belongs to latency and bandwidth.
    private static final Pattern SPEC = Pattern.compile("(.+?)\\s+(?:for\\s+)?(\\S+)\\s+at\\s+(\\S+)");

    public LinkWindow {
        Objects.requireNonNull(fault, "fault");
        Objects.requireNonNull(start, "start");
        Objects.requireNonNull(length, "length");
        if (start.isNegative()) {
            throw new IllegalArgumentException("a link window cannot start before the run, but was at " + start);
        }
        if (length.isNegative() || length.isZero()) {
            throw new IllegalArgumentException("a link window must last a while, but was " + length);
        }
    }

    /** When the window closes, from the run's start. */
    public Duration end() {
        return start.plus(length);
    }

    /** True if the window is open at {@code offset} from the run's start (start inclusive, end exclusive). */
    public boolean isOpenAt(Duration offset) {
        return offset.compareTo(start) >= 0 && offset.compareTo(end()) < 0;
    }

    /**
     * Reads a window as {@code --link} takes it: {@code blackhole 10s at 30s}, {@code reset 2s at
     * 20s}, {@code halfopen 5s at 40s}, {@code latency 300ms for 20s at 10s}, {@code bandwidth
     * 16kb/s for 20s at 50s}.
     *
     * @throws IllegalArgumentException naming what is wrong
     */
    public static LinkWindow parse(String text) {
        Matcher matcher = SPEC.matcher(text.strip().toLowerCase(Locale.ROOT));
        if (!matcher.matches()) {
            throw new IllegalArgumentException("'" + text
                    + "' is not a link window; write it like 'blackhole 10s at 30s' or 'latency 300ms for 20s at 10s'");
        }
        return new LinkWindow(
                LinkFault.parse(matcher.group(1)),
                DurationText.parse(matcher.group(3)),
                DurationText.parse(matcher.group(2)));
    }

    /**
     * Windows in the order they open.
     *
     * @throws IllegalArgumentException if two windows overlap: the link has one state at a time
     */
    public static List<LinkWindow> schedule(List<LinkWindow> windows) {
        List<LinkWindow> sorted = new ArrayList<>(windows);
        sorted.sort(Comparator.comparing(LinkWindow::start));
        for (int i = 1; i < sorted.size(); i++) {
            LinkWindow before = sorted.get(i - 1);
            LinkWindow after = sorted.get(i);
            if (after.start().compareTo(before.end()) < 0) {
                throw new IllegalArgumentException(
                        "link windows '" + before + "' and '" + after + "' overlap; the link has one fault at a time");
            }
        }
        return List.copyOf(sorted);
    }

    /** The spec form, which {@link #parse} reads back: {@code blackhole for 10s at 30s}. */
    @Override
    public String toString() {
        return fault + " for " + DurationText.format(length) + " at " + DurationText.format(start);
    }
}
