package io.valerix.core.time;

/**
 * A monotonic time source in nanoseconds, the only way Valerix reads elapsed time.
 *
 * <p>Anything that measures durations (deadlines, latency windows, retry budgets) takes a
 * {@code NanoClock} so tests can drive time with a {@link ManualNanoClock} instead of sleeping.
 * Values are only meaningful relative to each other, like {@link System#nanoTime()}.
 *
 * <p>Implementations must be thread-safe.
 */
@FunctionalInterface
public interface NanoClock {

    /** The current reading; only differences between readings mean anything. */
    long nanoTime();

    /** The system's monotonic clock, {@link System#nanoTime()}: always the same instance. */
    static NanoClock system() {
        return SystemNanoClock.INSTANCE;
    }
}
