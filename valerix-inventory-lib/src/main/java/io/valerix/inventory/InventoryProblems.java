package io.valerix.inventory;

import io.valerix.core.http.ProblemType;
import java.util.Set;

/**
 * The problem types the inventory answers with, beyond the server's own ({@code malformed-json},
 * {@code invalid-request}, {@code deadline-exceeded}, …). Their {@code type} URIs are stable:
 * clients switch on them. Every one of them means nothing was changed.
 *
 * <p>Constants only; {@link ProblemType} is immutable.
 */
public final class InventoryProblems {

    /** The order id is missing or not 1..255 characters of {@code [A-Za-z0-9._:-]}. */
    public static final ProblemType INVALID_ORDER_ID = ProblemType.of("invalid-order-id", "Invalid order id", 400);
    /** The SKU is missing or not 1..64 characters of {@code [A-Za-z0-9._-]}. */
    public static final ProblemType INVALID_SKU = ProblemType.of("invalid-sku", "Invalid SKU", 400);
    /** The quantity is missing, not positive, or above the configured maximum. */
    public static final ProblemType INVALID_QUANTITY = ProblemType.of("invalid-quantity", "Invalid quantity", 400);
    /** A reservation names a well-formed SKU the inventory does not stock. */
    public static final ProblemType UNKNOWN_SKU = ProblemType.of("unknown-sku", "Unknown SKU", 422);
    /** A stock lookup names a well-formed SKU the inventory does not stock. */
    public static final ProblemType SKU_NOT_FOUND = ProblemType.of("sku-not-found", "SKU not found", 404);
    /** The order id already has a reservation for a different SKU or quantity. */
    public static final ProblemType RESERVATION_CONFLICT =
            ProblemType.of("reservation-conflict", "Reservation conflicts with an earlier one", 422);
    /** Nothing is recorded for the order id. */
    public static final ProblemType RESERVATION_NOT_FOUND =
            ProblemType.of("reservation-not-found", "Reservation not found", 404);

    /**
     * Every 4xx answer after which inventory has changed nothing: its own problems above, and its
     * server's for a request it could not take. A client may treat these, and only these, as a
     * refusal. Any other 4xx (one a proxy or a fault injector sent in place of inventory's answer,
     * perhaps after a reservation was made) leaves the outcome unknown. A new problem type above
     * must be added here; {@code InventoryProblemsTest} fails until it is.
     */
    public static final Set<ProblemType> NOTHING_CHANGED = Set.of(
            INVALID_ORDER_ID,
            INVALID_SKU,
            INVALID_QUANTITY,
            UNKNOWN_SKU,
            SKU_NOT_FOUND,
            RESERVATION_CONFLICT,
            RESERVATION_NOT_FOUND,
            ProblemType.MALFORMED_JSON,
            ProblemType.INVALID_REQUEST,
            ProblemType.UNSUPPORTED_MEDIA_TYPE,
            ProblemType.PAYLOAD_TOO_LARGE,
            ProblemType.HEADER_TOO_LARGE,
            ProblemType.NOT_FOUND,
            ProblemType.METHOD_NOT_ALLOWED);

    private InventoryProblems() {}
}
