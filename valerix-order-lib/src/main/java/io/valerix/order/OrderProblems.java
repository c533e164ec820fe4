package io.valerix.order;

import io.valerix.core.http.ProblemType;

/** The problem types the order service answers with, besides the core ones. */
public final class OrderProblems {

    /** The order request is invalid: a field is missing, malformed or out of range. */
    public static final ProblemType INVALID_ORDER = ProblemType.of("invalid-order", "Invalid order", 400);
    /** The SKU is not one inventory knows. */
    public static final ProblemType UNKNOWN_SKU = ProblemType.of("unknown-sku", "Unknown SKU", 422);
    /** An order with this id exists with a different SKU or quantity. */
    public static final ProblemType ORDER_CONFLICT = ProblemType.of("order-conflict", "Order id already used", 422);
    /** No order has this id. */
    public static final ProblemType ORDER_NOT_FOUND = ProblemType.of("order-not-found", "Order not found", 404);

    private OrderProblems() {}
}
