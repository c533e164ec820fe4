package io.valerix.core.http;

import io.valerix.core.retry.TransientFailure;

/**
 * A call failed in transit: connection refused or reset, or the reply broke off. The server may or
 * may not have acted on the request, so the outcome of a state-changing call is unknown. Always
 * transient: an idempotent call may be tried again.
 */
public class TransportException extends RuntimeException implements TransientFailure {

    private static final long serialVersionUID = 1L;

    public TransportException(String message, Throwable cause) {
        super(message, cause);
    }

    @Override
    public boolean isTransient() {
        return true;
    }
}
