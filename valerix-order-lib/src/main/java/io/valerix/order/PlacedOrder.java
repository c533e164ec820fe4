package io.valerix.order;

/**
 * What placing an order did.
 *
 * @param order the order as stored now
 * @param outcome whether this request created it, and whether its outcome is known
 */
public record PlacedOrder(Order order, Outcome outcome) {

    /** How a place request ended. */
    public enum Outcome {
        /** This request created the order and knows how it ended (CONFIRMED or REJECTED). */
        CREATED,
        /** This request created the order but inventory did not answer in time: it is PENDING. */
        ACCEPTED,
        /** The order existed already (a retry); this is its current state. */
        EXISTING
    }
}
