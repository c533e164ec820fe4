package io.valerix.harness.chaos.internal;

/** Milliseconds since the run started, from {@link System#nanoTime()}; immutable. */
public record RunClock(long startNanos) {

    public static RunClock startingNow() {
        return new RunClock(System.nanoTime());
    }

    /** {@code nanos} (a {@link System#nanoTime()} reading) as milliseconds since the start, to the microsecond. */
    public double ms(long nanos) {
        return Math.round((nanos - startNanos) / 1e3) / 1e3;
    }

    public double nowMs() {
        return ms(System.nanoTime());
    }

    public long nanosAt(double ms) {
        return startNanos + Math.round(ms * 1e6);
    }
}
