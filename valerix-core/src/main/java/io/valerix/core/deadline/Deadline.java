package io.valerix.core.deadline;

import io.valerix.core.time.NanoClock;
import java.time.Duration;
import java.util.Objects;

/**
 * A point in time, on a monotonic clock, after which nobody waits for the answer any more.
 *
 * <p>A request gets one deadline when it enters a service; everything it calls gets what
 * remains ({@link #remaining()}), or a shorter {@linkplain #child(Duration) child} deadline.
 * Unlike a timeout, a deadline does not restart at every hop, so a chain of calls cannot add up
 * to more than the first caller was willing to wait.
 *
 * <p>Immutable and thread-safe.
 */
public final class Deadline implements Comparable<Deadline> {

    private final NanoClock clock;
    private final long startNanos;
    private final long deadlineNanos;

    private Deadline(NanoClock clock, long startNanos, long deadlineNanos) {
        this.clock = clock;
        this.startNanos = startNanos;
        this.deadlineNanos = deadlineNanos;
    }

    /** A deadline {@code budget} from now on the system's monotonic clock. */
    public static Deadline after(Duration budget) {
        return after(budget, NanoClock.system());
    }

    /**
     * A deadline {@code budget} from now on {@code clock}.
     *
     * @throws IllegalArgumentException if {@code budget} is negative; zero is allowed and gives a
     *     deadline that has already passed
     */
    public static Deadline after(Duration budget, NanoClock clock) {
        Objects.requireNonNull(budget, "budget");
        Objects.requireNonNull(clock, "clock");
        if (budget.isNegative()) {
            throw new IllegalArgumentException("budget must not be negative, but was " + budget);
        }
        long now = clock.nanoTime();
        return new Deadline(clock, now, now + saturatedNanos(budget));
    }

    /**
     * A deadline {@code budget} after {@code startNanos}, an earlier reading of {@code clock}: for
     * work whose clock started before this code ran, such as a request that arrived on the socket
     * before its handler was called. {@link #elapsed()} counts from {@code startNanos}.
     *
     * @throws IllegalArgumentException if {@code budget} is negative
     */
    public static Deadline since(long startNanos, Duration budget, NanoClock clock) {
        Objects.requireNonNull(budget, "budget");
        Objects.requireNonNull(clock, "clock");
        if (budget.isNegative()) {
            throw new IllegalArgumentException("budget must not be negative, but was " + budget);
        }
        return new Deadline(clock, startNanos, startNanos + saturatedNanos(budget));
    }

    /** The time left, never negative: {@link Duration#ZERO} once the deadline has passed. */
    public Duration remaining() {
        return Duration.ofNanos(remainingNanos());
    }

    /** The time left in nanoseconds, never negative. */
    public long remainingNanos() {
        return Math.max(0, deadlineNanos - clock.nanoTime());
    }

    /** True once the deadline has passed (no time remains). */
    public boolean isExpired() {
        return deadlineNanos - clock.nanoTime() <= 0;
    }

    /** How far past the deadline the clock is now, or zero while time remains. */
    public Duration overshoot() {
        return Duration.ofNanos(Math.max(0, clock.nanoTime() - deadlineNanos));
    }

    /** The time since this deadline was created. */
    public Duration elapsed() {
        return Duration.ofNanos(clock.nanoTime() - startNanos);
    }

    /** The budget this deadline was created with. */
    public Duration budget() {
        return Duration.ofNanos(deadlineNanos - startNanos);
    }

    /**
     * A deadline for a sub-task: {@code max} from now, but never later than this one.
     *
     * @throws IllegalArgumentException if {@code max} is negative
     */
    public Deadline child(Duration max) {
        Deadline candidate = after(max, clock);
        return candidate.deadlineNanos - deadlineNanos < 0
                ? candidate
                : new Deadline(clock, candidate.startNanos, deadlineNanos);
    }

    /** The clock this deadline reads. */
    public NanoClock clock() {
        return clock;
    }

    /** The reading of {@link #clock()} at which this deadline passes. */
    long deadlineNanos() {
        return deadlineNanos;
    }

    @Override
    public int compareTo(Deadline other) {
        return Long.compare(deadlineNanos - other.deadlineNanos, 0);
    }

    @Override
    public String toString() {
        long remaining = deadlineNanos - clock.nanoTime();
        return remaining > 0
                ? "Deadline[remaining=" + Duration.ofNanos(remaining) + "]"
                : "Deadline[expired " + Duration.ofNanos(-remaining) + " ago]";
    }

    private static long saturatedNanos(Duration duration) {
        // Durations beyond ~292 years do not fit in nanos; such a deadline is "never" in practice.
        try {
            return Math.min(duration.toNanos(), Long.MAX_VALUE / 4);
        } catch (ArithmeticException tooLong) {
            return Long.MAX_VALUE / 4;
        }
    }
}
