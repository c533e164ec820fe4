package io.valerix.core.deadline;

/**
 * A blocking call run under a {@link TimeLimiter}.
 *
 * @param <T> the result type
 */
@FunctionalInterface
public interface LimitedCall<T> {

    /**
     * Does the work on the caller's thread.
     *
     * @param cancel where to register how this call is stopped when its deadline passes
     */
    T call(CancelToken cancel) throws Exception;
}
