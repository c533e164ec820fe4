package io.valerix.order;

import java.time.Instant;
import java.util.Objects;

/**
 * An order as the order service knows it.
 *
 * @param orderId the order's id, unique forever
 * @param sku the stock-keeping unit ordered
 * @param quantity how many
 * @param status where it stands
 * @param message what the status means, in plain words for the person who ordered
 * @param createdAt when it was accepted
 * @param updatedAt when its status last changed
 */
public record Order(
        String orderId,
        String sku,
        int quantity,
        OrderStatus status,
        String message,
        Instant createdAt,
        Instant updatedAt) {

    public Order {
        Objects.requireNonNull(orderId, "orderId");
        Objects.requireNonNull(sku, "sku");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(message, "message");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(updatedAt, "updatedAt");
    }
}
