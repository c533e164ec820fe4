package io.valerix.core.idempotency;

/**
 * An {@link IdempotencyStore} could not answer: the database is unreachable, a statement failed,
 * or a stored row is unreadable. Nothing is known about whether the operation took effect.
 *
 * <p>The filter answers such a failure before running the handler with 503 {@code
 * idempotency-store-unavailable} (the handler is not run, so nothing happens twice); after running
 * the handler it still returns the handler's answer and logs the failure, and the unfinished
 * claim expires after its lease.
 */
public class IdempotencyStoreException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public IdempotencyStoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
