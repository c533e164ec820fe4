package io.valerix.harness.bench;

import io.valerix.core.http.JsonClient;
import io.valerix.core.http.JsonRequest;
import io.valerix.core.http.JsonServer;
import io.valerix.core.http.Response;
import java.net.URI;
import java.util.Map;

/**
 * The floor the order path is compared with: two hops on the same HTTP stack (JsonServer in,
 * JsonClient out, JsonServer behind it) with no database, no filters and no business logic. The
 * front answers {@code POST /orders} by sending {@code PUT /reservations/{orderId}} to the back,
 * which echoes the body; the front then answers 201 with it.
 */
final class EchoChain implements AutoCloseable {

    /** The body passed along; shaped like a reservation. */
    record Line(String orderId, String sku, int quantity, String status) {}

    private final JsonServer back;
    private final JsonServer front;

    private EchoChain(JsonServer back, JsonServer front) {
        this.back = back;
        this.front = front;
    }

    static EchoChain start() {
        JsonServer back = JsonServer.builder()
                .name("echo-back")
                .port(0)
                .route("PUT", "/reservations/{orderId}", request -> {
                    Line line = request.bodyAs(Line.class);
                    return Response.json(
                            200, new Line(request.pathParam("orderId"), line.sku(), line.quantity(), "RESERVED"));
                })
                .build()
                .start();
        JsonClient client = JsonClient.builder(back.uri()).name("echo-back").build();
        JsonServer front;
        try {
            front = JsonServer.builder()
                    .name("echo-front")
                    .port(0)
                    .route("POST", "/orders", request -> {
                        @SuppressWarnings("unchecked")
                        Map<String, Object> order = request.bodyAs(Map.class);
                        String orderId = request.header("Idempotency-Key").orElseThrow();
                        Line sent = new Line(
                                orderId, (String) order.get("sku"), ((Number) order.get("quantity")).intValue(), null);
                        Line reply = client.send(
                                        JsonRequest.put(sent, "/reservations/{orderId}", orderId),
                                        Line.class,
                                        request.deadline())
                                .body();
                        return Response.json(201, reply);
                    })
                    .build()
                    .start();
        } catch (RuntimeException e) {
            back.close();
            throw e;
        }
        return new EchoChain(back, front);
    }

    URI ordersUri() {
        return front.uri().resolve("/orders");
    }

    @Override
    public void close() {
        try {
            front.close();
        } finally {
            back.close();
        }
    }
}
