package io.valerix.order.internal;

/** The order database failed; the message says what was being done, the cause says why. */
public final class OrderStoreException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public OrderStoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
