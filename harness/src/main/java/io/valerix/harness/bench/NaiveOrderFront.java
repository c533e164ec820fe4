package io.valerix.harness.bench;

import io.valerix.core.http.JsonServer;
import io.valerix.core.http.Response;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import okhttp3.ConnectionPool;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;

/**
 * The order service as it is too often written: it calls inventory with a plain OkHttp client and
 * no deadline, so its callers wait as long as inventory does. Measured beside the real order
 * service against the same gremlin-delayed inventory, to show what the deadline buys. No
 * database: it only makes the inventory call a naive order service would make.
 */
final class NaiveOrderFront implements AutoCloseable {

    private static final MediaType JSON = MediaType.get("application/json");

    private final JsonServer server;
    private final OkHttpClient http;

    private NaiveOrderFront(JsonServer server, OkHttpClient http) {
        this.server = server;
        this.http = http;
    }

    /** A front for {@code inventory}, whose reservation writes need {@code serviceToken}. */
    static NaiveOrderFront start(URI inventory, String serviceToken) {
        OkHttpClient http = new OkHttpClient.Builder()
                .connectionPool(new ConnectionPool(256, 30, TimeUnit.SECONDS))
                // No deadline anywhere: this is the point. (Zero means no limit in OkHttp.)
                .readTimeout(Duration.ZERO)
                .callTimeout(Duration.ZERO)
                .build();
        JsonServer server = JsonServer.builder()
                .name("naive-order")
                .port(0)
                .route("POST", "/orders", request -> {
                    @SuppressWarnings("unchecked")
                    Map<String, Object> order = request.bodyAs(Map.class);
                    String orderId = request.header("Idempotency-Key").orElseThrow();
                    String body = "{\"sku\":\"" + order.get("sku") + "\",\"quantity\":" + order.get("quantity") + "}";
                    Request reserve = new Request.Builder()
                            .url(inventory.resolve("/reservations/" + orderId).toString())
                            .put(RequestBody.create(body.getBytes(StandardCharsets.UTF_8), JSON))
                            .header("Authorization", "Bearer " + serviceToken)
                            .build();
                    try (okhttp3.Response response = http.newCall(reserve).execute()) {
                        return Response.bytes(
                                response.code() == 200 ? 201 : 502,
                                "application/json",
                                response.body().bytes());
                    } catch (IOException e) {
                        return Response.empty(502);
                    }
                })
                .build()
                .start();
        return new NaiveOrderFront(server, http);
    }

    URI ordersUri() {
        return server.uri().resolve("/orders");
    }

    @Override
    public void close() {
        server.close();
        http.dispatcher().executorService().shutdown();
        http.connectionPool().evictAll();
    }
}
