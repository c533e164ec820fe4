package io.valerix.order;

import io.valerix.core.http.JsonServer;
import io.valerix.core.http.ProblemType;
import io.valerix.core.http.Response;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A stand-in inventory service on a real port whose answers a test scripts: how long a reserve
 * takes to answer (after recording the reservation, like the gremlin's "after" phase), what it
 * answers, and whether it is down. The real inventory library is tested against the real thing.
 */
final class ScriptedInventory implements AutoCloseable {

    final Map<String, String> reservations = new ConcurrentHashMap<>();
    final AtomicInteger reserveCalls = new AtomicInteger();
    final AtomicInteger cancelCalls = new AtomicInteger();
    final AtomicReference<Duration> answerDelay = new AtomicReference<>(Duration.ZERO);
    final AtomicReference<String> reserveAnswer = new AtomicReference<>("RESERVED");
    volatile boolean down;
    volatile boolean dropReserves;
    private final JsonServer server;

    ScriptedInventory() {
        server = JsonServer.builder()
                .drainTimeout(Duration.ZERO)
                .filter((request, next) -> {
                    if (down) {
                        throw ProblemType.OVERLOADED.exception("down for the test");
                    }
                    return next.handle(request);
                })
                .route(
                        "GET",
                        "/inventory",
                        r -> Response.json(200, Map.of("items", List.of(Map.of("sku", "A"), Map.of("sku", "B")))))
                .route("PUT", "/reservations/{orderId}", r -> {
                    reserveCalls.incrementAndGet();
                    String orderId = r.pathParam("orderId");
                    if (!dropReserves) {
                        reservations.putIfAbsent(orderId, reserveAnswer.get());
                    }
                    Thread.sleep(answerDelay.get());
                    return Response.json(
                            200, Map.of("orderId", orderId, "status", reservations.getOrDefault(orderId, "NOT_FOUND")));
                })
                .route("GET", "/reservations/{orderId}", r -> {
                    String status = reservations.get(r.pathParam("orderId"));
                    if (status == null) {
                        throw ProblemType.of("reservation-not-found", "Reservation not found", 404)
                                .exception("none");
                    }
                    return Response.json(200, Map.of("orderId", r.pathParam("orderId"), "status", status));
                })
                .route("DELETE", "/reservations/{orderId}", r -> {
                    cancelCalls.incrementAndGet();
                    String status = reservations.compute(
                            r.pathParam("orderId"),
                            (id, old) -> old == null ? "CANCELLED" : old.equals("RESERVED") ? "RELEASED" : old);
                    return Response.json(200, Map.of("orderId", r.pathParam("orderId"), "status", status));
                })
                .build()
                .start();
    }

    java.net.URI uri() {
        return server.uri();
    }

    @Override
    public void close() {
        server.close();
    }
}
