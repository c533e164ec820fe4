package io.valerix.inventory;

/** Where a reservation stands. */
public enum ReservationStatus {
    /** The stock is taken and held for the order. */
    RESERVED,
    /** There was not enough stock; nothing was taken. Final: a retry answers the same. */
    REJECTED,
    /** The stock was taken and has been given back, exactly once. Final. */
    RELEASED,
    /**
     * The order was cancelled before any reservation arrived: a tombstone, so a reserve request
     * still in flight takes nothing. Final.
     */
    CANCELLED,
    /** Nothing was ever recorded for the order id; only {@link InventoryService#find} answers it. */
    NOT_FOUND
}
