package io.valerix.order;

import io.valerix.core.testing.RawHttp;
import io.valerix.core.testing.RawHttp.Reply;
import java.net.URI;

/**
 * The order service's routes as a client outside Valerix sends them, over the kit's {@link
 * RawHttp}: every request is sent once, no retries.
 */
final class OrderHttp {

    static final String IDEMPOTENCY_KEY = "Idempotency-Key";

    private OrderHttp() {}

    /** {@code POST /orders} with an {@code Idempotency-Key} (none if null) and a JSON body. */
    static Reply placeOrder(URI base, String key, String body, String... headers) {
        String[] all = key == null ? headers : prepend(headers, IDEMPOTENCY_KEY, key);
        return RawHttp.post(base, "/orders", body, all);
    }

    /** The body {@code {"sku":…,"quantity":…}}. */
    static String order(String sku, int quantity) {
        return "{\"sku\":\"" + sku + "\",\"quantity\":" + quantity + "}";
    }

    static Reply getOrder(URI base, String orderId) {
        return RawHttp.send(base, "GET", "/orders/" + orderId, null, null);
    }

    private static String[] prepend(String[] headers, String name, String value) {
        String[] all = new String[headers.length + 2];
        all[0] = name;
        all[1] = value;
        System.arraycopy(headers, 0, all, 2, headers.length);
        return all;
    }
}
