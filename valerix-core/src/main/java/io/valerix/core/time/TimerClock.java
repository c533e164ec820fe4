package io.valerix.core.time;

/**
 * A {@link NanoClock} that also runs a task when its reading reaches a given time. A {@link
 * io.valerix.core.deadline.TimeLimiter} on such a clock fires its deadlines on it, so a test that
 * advances a {@link ManualNanoClock} decides when a deadline fires.
 *
 * <p>Implementations must be thread-safe.
 */
public interface TimerClock extends NanoClock {

    /**
     * Runs {@code task} once the reading is at or past {@code nanoTime}: at once, on the caller,
     * if it already is.
     */
    void runAt(long nanoTime, Runnable task);
}
