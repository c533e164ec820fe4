package io.valerix.core.retry;

/**
 * A failure that knows whether trying the same call again may succeed. Failures of other layers
 * implement it with their own rule (HTTP's lives with its exceptions), so retries need not know
 * those layers.
 */
public interface TransientFailure {

    /** True if the same call, tried again, may succeed. */
    boolean isTransient();
}
