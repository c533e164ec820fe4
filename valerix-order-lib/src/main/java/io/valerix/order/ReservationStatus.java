package io.valerix.order;

/** A reservation's state as the inventory service reports it to the order service. */
public enum ReservationStatus {
    RESERVED,
    REJECTED,
    RELEASED,
    CANCELLED,
    NOT_FOUND
}
