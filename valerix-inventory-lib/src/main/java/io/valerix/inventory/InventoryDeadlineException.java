package io.valerix.inventory;

/**
 * A reserve gave up because its deadline passed while it waited on the database (a connection, a
 * lock, a statement); its transaction was rolled back, so nothing was taken.
 */
public final class InventoryDeadlineException extends InventoryStoreException {

    private static final long serialVersionUID = 1L;

    public InventoryDeadlineException(String message, Throwable cause) {
        super(message, cause);
    }
}
