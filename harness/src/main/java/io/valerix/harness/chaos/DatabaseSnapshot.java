package io.valerix.harness.chaos;

import java.util.List;
import java.util.Objects;

/**
 * What the consistency check read from the two databases: this run's orders and reservations
 * (those whose id starts with the run's prefix), and the stock before and after the run.
 * Immutable.
 *
 * @param orders the order database's orders of the run
 * @param reservations the inventory database's records of the run (tombstones included)
 * @param stockBefore every SKU's stock when the run began
 * @param stockAfter every SKU's stock after the run settled
 */
public record DatabaseSnapshot(
        List<OrderRow> orders,
        List<ReservationRow> reservations,
        List<StockRow> stockBefore,
        List<StockRow> stockAfter) {

    public DatabaseSnapshot {
        orders = List.copyOf(orders);
        reservations = List.copyOf(reservations);
        stockBefore = List.copyOf(stockBefore);
        stockAfter = List.copyOf(stockAfter);
    }

    /** An order as {@code GET /admin/orders} lists it. */
    public record OrderRow(String orderId, String sku, int quantity, String status) {
        public OrderRow {
            Objects.requireNonNull(orderId, "orderId");
            Objects.requireNonNull(status, "status");
        }
    }

    /** A reservation record as {@code GET /admin/reservations} lists it; a tombstone has no SKU and quantity 0. */
    public record ReservationRow(String orderId, String sku, int quantity, String status) {
        public ReservationRow {
            Objects.requireNonNull(orderId, "orderId");
            Objects.requireNonNull(status, "status");
        }
    }

    /** One SKU's stock as {@code GET /inventory} lists it. */
    public record StockRow(String sku, long available, long reserved, long total) {
        public StockRow {
            Objects.requireNonNull(sku, "sku");
        }
    }
}
