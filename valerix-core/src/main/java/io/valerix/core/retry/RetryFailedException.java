package io.valerix.core.retry;

/** Carries a checked exception from the last attempt of a {@link RetryPolicy} call. */
public class RetryFailedException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public RetryFailedException(Throwable cause) {
        super(cause.toString(), cause);
    }
}
