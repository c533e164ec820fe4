package io.valerix.harness.backup;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Places orders over HTTP as fast as a few threads can, recording when each was sent and, for
 * each 201 (a final answer: the order is committed as CONFIRMED or REJECTED), when it was
 * acknowledged and with which status. Errors (a killed service) are counted, not thrown.
 */
final class OrderLoad implements AutoCloseable {

    static final String[] SKUS = {"widget", "gadget", "scarce"};
    static final String STOCK = "widget=1000000,gadget=1000000,scarce=60";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_ORDERS_PER_THREAD = 50_000;

    record Ack(String orderId, String sku, int quantity, Instant sentAt, Instant ackedAt, String status) {}

    private final URI orders;
    private final String prefix;
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final AtomicBoolean stop = new AtomicBoolean();
    private final Map<String, Instant> sent = new ConcurrentHashMap<>();
    private final List<Ack> acks = new CopyOnWriteArrayList<>();
    private final List<Thread> threads = new ArrayList<>();
    private final java.util.concurrent.atomic.AtomicInteger errors = new java.util.concurrent.atomic.AtomicInteger();

    OrderLoad(URI orderService, String prefix, int threadCount) {
        this.orders = orderService.resolve("/orders");
        this.prefix = prefix;
        for (int t = 0; t < threadCount; t++) {
            String threadPrefix = prefix + "-t" + t + "-";
            threads.add(Thread.ofPlatform().daemon().name("load-" + t).start(() -> run(threadPrefix)));
        }
    }

    private void run(String threadPrefix) {
        for (int i = 0; i < MAX_ORDERS_PER_THREAD && !stop.get(); i++) {
            String orderId = threadPrefix + i;
            String sku = SKUS[i % SKUS.length];
            int quantity = 1 + i % 3;
            HttpRequest request = HttpRequest.newBuilder(orders)
                    .timeout(Duration.ofSeconds(10))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(
                            "{\"orderId\":\"" + orderId + "\",\"sku\":\"" + sku + "\",\"quantity\":" + quantity + "}"))
                    .build();
            Instant sentAt = Instant.now();
            sent.put(orderId, sentAt);
            try {
                HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
                Instant ackedAt = Instant.now();
                if (response.statusCode() == 201) {
                    JsonNode body = JSON.readTree(response.body());
                    acks.add(new Ack(
                            orderId,
                            sku,
                            quantity,
                            sentAt,
                            ackedAt,
                            body.path("status").asText()));
                }
            } catch (IOException e) {
                errors.incrementAndGet();
                if (errors.get() > 1000) {
                    return;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    List<Ack> acks() {
        return List.copyOf(acks);
    }

    /** When each order was sent. */
    Map<String, Instant> sent() {
        return Map.copyOf(sent);
    }

    @Override
    public void close() throws InterruptedException {
        stop.set(true);
        for (Thread thread : threads) {
            thread.join(Duration.ofSeconds(20));
        }
    }
}
