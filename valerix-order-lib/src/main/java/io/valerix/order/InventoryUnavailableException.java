package io.valerix.order;

/**
 * Inventory could not be asked or did not answer in time: whether it acted is unknown. An order
 * in this situation stays {@link OrderStatus#PENDING} until the reconciler settles it.
 */
public class InventoryUnavailableException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public InventoryUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
