package io.valerix.inventory.internal;

import io.valerix.inventory.InventoryProblems;
import java.util.regex.Pattern;

/**
 * The rules for order ids, SKUs and quantities, checked before anything touches the database so
 * bad input changes nothing.
 *
 * <p>Order ids and SKUs are restricted to a few safe characters because they travel in URL
 * paths, log lines (the order id is in the MDC) and database keys.
 */
public final class InventoryInput {

    public static final String ORDER_ID_RULE = "1..255 characters of [A-Za-z0-9._:-]";
    public static final String SKU_RULE = "1..64 characters of [A-Za-z0-9._-]";

    private static final Pattern ORDER_ID = Pattern.compile("[A-Za-z0-9._:-]{1,255}");
    private static final Pattern SKU = Pattern.compile("[A-Za-z0-9._-]{1,64}");
    private static final int QUOTE_LIMIT = 40;

    private InventoryInput() {}

    public static boolean isOrderId(String orderId) {
        return orderId != null && ORDER_ID.matcher(orderId).matches();
    }

    public static boolean isSku(String sku) {
        return sku != null && SKU.matcher(sku).matches();
    }

    public static void requireOrderId(String orderId) {
        if (orderId == null) {
            throw InventoryProblems.INVALID_ORDER_ID.exception("orderId is required");
        }
        if (!isOrderId(orderId)) {
            throw InventoryProblems.INVALID_ORDER_ID.exception(
                    "orderId must be " + ORDER_ID_RULE + ", but was " + quote(orderId));
        }
    }

    public static void requireSku(String sku) {
        if (sku == null) {
            throw InventoryProblems.INVALID_SKU.exception("sku is required");
        }
        if (!isSku(sku)) {
            throw InventoryProblems.INVALID_SKU.exception("sku must be " + SKU_RULE + ", but was " + quote(sku));
        }
    }

    public static void requireQuantity(int quantity, int maxQuantity) {
        if (quantity < 1 || quantity > maxQuantity) {
            throw InventoryProblems.INVALID_QUANTITY.exception(
                    "quantity must be 1.." + maxQuantity + ", but was " + quantity);
        }
    }

    /**
     * A bad value for a message: quoted, shortened, and with anything but printable ASCII replaced,
     * because problem details reach clients and their logs.
     */
    public static String quote(String value) {
        if (value == null) {
            return "null";
        }
        StringBuilder out = new StringBuilder("'");
        int limit = Math.min(value.length(), QUOTE_LIMIT);
        for (int i = 0; i < limit; i++) {
            char c = value.charAt(i);
            out.append(c >= 0x20 && c < 0x7f ? c : '?');
        }
        if (value.length() > QUOTE_LIMIT) {
            out.append("…(").append(value.length()).append(" characters)");
        }
        return out.append('\'').toString();
    }
}
