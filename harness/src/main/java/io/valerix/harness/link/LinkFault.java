package io.valerix.harness.link;

import io.valerix.harness.text.DurationText;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A fault of the TCP link between two services, as {@link LinkProxy} plays it.
 *
 * <ul>
 *   <li>{@code blackhole}: connections are accepted and bytes are taken, but nothing is passed on
 *       either way until the fault ends; then what was held goes through, late, as TCP's
 *       retransmissions would deliver it.
 *   <li>{@code reset}: every open connection is reset when the fault begins, and every new one is
 *       reset as soon as it is accepted.
 *   <li>{@code halfopen}: the upstream side of every connection is closed, while the client side
 *       stays open, swallows what the client sends and never answers, also after the fault ends
 *       (as after a peer's crash that no FIN reported). New connections after the fault are fine.
 *   <li>{@code latency D}: every chunk is passed on D after it arrived, each way.
 *   <li>{@code bandwidth R}: the link passes at most R bytes per second each way, shared by all
 *       connections.
 * </ul>
 *
 * @param kind what the link does
 * @param latency the added delay of {@link Kind#LATENCY}, otherwise zero
 * @param bytesPerSecond the rate of {@link Kind#BANDWIDTH}, otherwise zero
 */
public record LinkFault(Kind kind, Duration latency, long bytesPerSecond) {

    /** What a faulty link does. */
    public enum Kind {
        BLACKHOLE,
        RESET,
        HALFOPEN,
        LATENCY,
        BANDWIDTH;

        /** The name in specs: lower case. */
        public String specName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private static final Pattern RATE = Pattern.compile("(\\d+(?:\\.\\d+)?)(b|kb|mb)/s");

    public LinkFault {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(latency, "latency");
        if (kind == Kind.LATENCY ? latency.isNegative() || latency.isZero() : !latency.isZero()) {
            throw new IllegalArgumentException(
                    kind == Kind.LATENCY ? "latency must be positive, but was " + latency : "only latency has a delay");
        }
        if (kind == Kind.BANDWIDTH ? bytesPerSecond <= 0 : bytesPerSecond != 0) {
            throw new IllegalArgumentException(
                    kind == Kind.BANDWIDTH
                            ? "bandwidth must be positive, but was " + bytesPerSecond
                            : "only bandwidth has a rate");
        }
    }

    public static LinkFault blackhole() {
        return new LinkFault(Kind.BLACKHOLE, Duration.ZERO, 0);
    }

    public static LinkFault reset() {
        return new LinkFault(Kind.RESET, Duration.ZERO, 0);
    }

    public static LinkFault halfOpen() {
        return new LinkFault(Kind.HALFOPEN, Duration.ZERO, 0);
    }

    public static LinkFault latency(Duration delay) {
        return new LinkFault(Kind.LATENCY, delay, 0);
    }

    public static LinkFault bandwidth(long bytesPerSecond) {
        return new LinkFault(Kind.BANDWIDTH, Duration.ZERO, bytesPerSecond);
    }

    /**
     * Reads a fault as written in a spec: {@code blackhole}, {@code reset}, {@code halfopen}, {@code
     * latency 300ms}, {@code bandwidth 16kb/s} (units b, kb, mb; 1 kb = 1024 bytes).
     *
     * @throws IllegalArgumentException naming what is wrong
     */
    public static LinkFault parse(String text) {
        String[] words = text.strip().toLowerCase(Locale.ROOT).split("\\s+");
        String name = words[0];
        Kind kind;
        try {
            kind = Kind.valueOf(name.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown link fault '" + name
                    + "'; use blackhole, reset, halfopen, latency DELAY or bandwidth RATE");
        }
        boolean takesArgument = kind == Kind.LATENCY || kind == Kind.BANDWIDTH;
        if (words.length != (takesArgument ? 2 : 1)) {
            throw new IllegalArgumentException(
                    takesArgument
                            ? "'" + name + "' needs one value, e.g. "
                                    + (kind == Kind.LATENCY ? "'latency 300ms'" : "'bandwidth 16kb/s'")
                            : "'" + name + "' takes no value");
        }
        return switch (kind) {
            case LATENCY -> latency(DurationText.parse(words[1]));
            case BANDWIDTH -> bandwidth(parseRate(words[1]));
            case BLACKHOLE -> blackhole();
            case RESET -> reset();
            case HALFOPEN -> halfOpen();
        };
    }

    private static long parseRate(String text) {
        Matcher matcher = RATE.matcher(text);
        if (!matcher.matches()) {
            throw new IllegalArgumentException("'" + text + "' is not a rate; write it like 500b/s, 16kb/s or 1mb/s");
        }
        double amount = Double.parseDouble(matcher.group(1));
        long unit = switch (matcher.group(2)) {
            case "b" -> 1;
            case "kb" -> 1024;
            default -> 1024 * 1024;
        };
        long rate = Math.round(amount * unit);
        if (rate <= 0) {
            throw new IllegalArgumentException("bandwidth must be at least 1 b/s, but was '" + text + "'");
        }
        return rate;
    }

    /** The spec form, which {@link #parse} reads back. */
    @Override
    public String toString() {
        return switch (kind) {
            case LATENCY -> "latency " + DurationText.format(latency);
            case BANDWIDTH -> "bandwidth " + bytesPerSecond + "b/s";
            default -> kind.specName();
        };
    }
}
