package io.valerix.inventory;

/**
 * The stock of one SKU at one moment, read in one statement so the three numbers agree.
 *
 * <p>Conservation holds at every moment: {@code total == available + reserved}. Immutable.
 *
 * @param sku the SKU
 * @param available what can still be reserved
 * @param reserved the sum of the quantities of the SKU's {@link ReservationStatus#RESERVED}
 *     reservations
 * @param total the quantity the SKU was seeded with
 */
public record StockLevel(String sku, long available, long reserved, long total) {

    /** True if {@code total == available + reserved}. */
    public boolean isConserved() {
        return total == available + reserved;
    }
}
