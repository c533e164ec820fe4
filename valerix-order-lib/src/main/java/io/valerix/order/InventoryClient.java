package io.valerix.order;

import io.valerix.core.deadline.Deadline;
import java.util.Set;

/**
 * How the order service talks to inventory: over HTTP ({@link HttpInventoryClient}) or in the same
 * process ({@link InProcessInventoryClient}). Both behave the same under a deadline.
 *
 * <p>Every method returns within its deadline. When it cannot say what happened (the deadline
 * passed, the link broke, inventory answered 5xx) it throws {@link InventoryUnavailableException}:
 * a reservation may or may not have been made. Implementations are thread-safe.
 */
public interface InventoryClient {

    /**
     * Reserves {@code quantity} of {@code sku} for {@code orderId}; idempotent on the order id.
     *
     * @return {@code RESERVED}, {@code REJECTED} (not enough stock) or {@code CANCELLED} (the order
     *     was cancelled before this request arrived)
     * @throws InventoryUnavailableException if the outcome is unknown
     * @throws InventoryRefusedException if inventory refused the request as invalid; nothing was
     *     reserved
     */
    ReservationStatus reserve(String orderId, String sku, int quantity, Deadline deadline);

    /** The reservation's state, {@code NOT_FOUND} if inventory never saw it. */
    ReservationStatus find(String orderId, Deadline deadline);

    /**
     * Cancels: releases a reservation, or leaves a tombstone so that a reservation still in flight
     * takes nothing.
     *
     * @return {@code RELEASED}, {@code CANCELLED}, or {@code REJECTED} if it had been rejected
     */
    ReservationStatus cancel(String orderId, Deadline deadline);

    /** The SKUs inventory knows, so the order service can refuse unknown ones before writing. */
    Set<String> skus(Deadline deadline);
}
