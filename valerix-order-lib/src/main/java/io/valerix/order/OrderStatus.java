package io.valerix.order;

/** Where an order stands. Only {@link #PENDING} ever changes, and only once. */
public enum OrderStatus {
    /** Accepted; whether stock was reserved is not known yet. The reconciler settles it. */
    PENDING,
    /** Stock is reserved for it. Final. */
    CONFIRMED,
    /** Inventory answered that there was not enough stock. Final. */
    REJECTED,
    /** No stock was taken and none can be any more (the reservation was cancelled). Final. */
    FAILED;

    /** True for every status but {@link #PENDING}. */
    public boolean isFinal() {
        return this != PENDING;
    }
}
