package io.valerix.core.deadline;

/**
 * Handed to a call run by a {@link TimeLimiter}: the call registers how to stop itself.
 *
 * <p>Register the cheapest real cancellation there is, for an OkHttp call {@code call::cancel},
 * which unblocks a socket read on any kind of thread. Thread-safe.
 */
public interface CancelToken {

    /**
     * Runs {@code action} when the deadline passes before the call finishes, at most once. If the
     * deadline has already passed, runs it at once on the calling thread.
     */
    void onCancel(Runnable action);

    /** True once the deadline has passed and cancellation began. */
    boolean isCancelled();
}
