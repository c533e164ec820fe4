package io.valerix.inventory;

/**
 * The database failed while serving an inventory call.
 *
 * <p>For a {@code reserve} or {@code release}, the outcome is then unknown: the transaction may
 * have committed before the failure was seen. Ask again with the same order id; the answer is
 * exactly-once either way. Over HTTP it is answered as 500 {@code internal}, with the cause only in
 * the server log.
 */
public class InventoryStoreException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public InventoryStoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
