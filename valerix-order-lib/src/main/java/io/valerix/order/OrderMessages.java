package io.valerix.order;

/** The plain-words messages an order carries, one per way it can end. */
final class OrderMessages {

    static final String CONFIRMED = "Confirmed: the stock is reserved for your order.";
    static final String OUT_OF_STOCK =
            "Out of stock: there is not enough left for this order. Nothing was charged or reserved.";
    static final String CANCELLED =
            "Failed: inventory did not confirm the order in time, so it was cancelled. Nothing was reserved; you can order again.";

    private OrderMessages() {}
}
