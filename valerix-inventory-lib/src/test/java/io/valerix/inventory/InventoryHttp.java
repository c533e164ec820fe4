package io.valerix.inventory;

import io.valerix.core.testing.RawHttp;
import io.valerix.core.testing.RawHttp.Reply;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import okhttp3.HttpUrl;

/**
 * The inventory's routes as a test client sends them, over the kit's {@link RawHttp}: every
 * request carries the test servers' service token unless told otherwise.
 */
final class InventoryHttp {

    /** The service token every test server is started with, and every request here sends unless told otherwise. */
    static final String SERVICE_TOKEN = "test-service-token-0123456789";

    private InventoryHttp() {}

    /** PUT /reservations/{orderId} with a well-formed body; the order id is percent-encoded. */
    static Reply reserve(URI base, String orderId, String sku, int quantity, String... headers) {
        String body = "{\"sku\":\"" + sku + "\",\"quantity\":" + quantity + "}";
        return send(base, "PUT", "/reservations/" + encode(orderId), RawHttp.JSON, body, headers);
    }

    static Reply release(URI base, String orderId) {
        return send(base, "DELETE", "/reservations/" + encode(orderId), null, null);
    }

    static Reply find(URI base, String orderId) {
        return send(base, "GET", "/reservations/" + encode(orderId), null, null);
    }

    static Reply stock(URI base, String sku) {
        return send(base, "GET", "/inventory/" + encode(sku), null, null);
    }

    /**
     * Any request, as {@link RawHttp#send}. It carries the {@link #SERVICE_TOKEN} unless {@code
     * headers} set another {@code Authorization}, or set it to the empty string to send none.
     */
    static Reply send(URI base, String method, String rawPath, String contentType, String body, String... headers) {
        List<String> all = new ArrayList<>();
        boolean authorizationGiven = false;
        for (int i = 0; i < headers.length; i += 2) {
            if (headers[i].equalsIgnoreCase("Authorization")) {
                authorizationGiven = true;
                if (headers[i + 1].isEmpty()) {
                    continue;
                }
            }
            all.add(headers[i]);
            all.add(headers[i + 1]);
        }
        if (!authorizationGiven) {
            all.addAll(0, List.of("Authorization", "Bearer " + SERVICE_TOKEN));
        }
        return RawHttp.send(base, method, rawPath, contentType, body, all.toArray(String[]::new));
    }

    private static String encode(String segment) {
        return HttpUrl.get("http://127.0.0.1/")
                .newBuilder()
                .addPathSegment(segment)
                .build()
                .encodedPath()
                .substring(1);
    }
}
