package io.valerix.inventory;

import java.util.Objects;

/**
 * What is recorded for one order id, or the answer to a request about it.
 *
 * <p>{@code sku} is null and {@code quantity} is 0 exactly when no reservation was ever asked
 * for: a {@link ReservationStatus#CANCELLED} tombstone read back, or {@link
 * ReservationStatus#NOT_FOUND}. A reserve that meets a tombstone answers CANCELLED with the SKU and
 * quantity it asked for. Immutable.
 *
 * @param orderId the order id, the reservation's key
 * @param sku the SKU, or null (see above)
 * @param quantity the quantity, or 0 (see above)
 * @param status where the reservation stands
 */
public record Reservation(String orderId, String sku, int quantity, ReservationStatus status) {

    public Reservation {
        Objects.requireNonNull(orderId, "orderId");
        Objects.requireNonNull(status, "status");
        if (quantity < 0) {
            throw new IllegalArgumentException("quantity must not be negative, but was " + quantity);
        }
        if ((sku == null) != (quantity == 0)) {
            throw new IllegalArgumentException(
                    "sku and quantity must be given together, but were sku=" + sku + ", quantity=" + quantity);
        }
    }

    /** The answer for an order id with nothing recorded. */
    public static Reservation notFound(String orderId) {
        return new Reservation(orderId, null, 0, ReservationStatus.NOT_FOUND);
    }

    /** A copy with {@code status}. */
    public Reservation withStatus(ReservationStatus status) {
        return new Reservation(orderId, sku, quantity, status);
    }
}
