package io.valerix.order;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.valerix.core.testing.DatabaseRows;
import io.valerix.core.testing.RawHttp;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code Idempotency-Key} on {@code POST /orders} over real HTTP, with a real inventory behind:
 * duplicates never make a second order or a second reservation, and get the original answer.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class OrderIdempotencyHttpTest {

    private static final String IN_PROGRESS = "urn:valerix:problem:idempotency-request-in-progress";
    private static final String KEY_REUSED = "urn:valerix:problem:idempotency-key-reused";
    private static final int CLIENTS = 50;

    @RegisterExtension
    final RunningServices running = new RunningServices();

    @Test
    void fiftyConcurrentRequestsWithOneKeyMakeOneOrderAndOneReservation() throws Exception {
        // Given inventory that takes a moment to answer, so the requests overlap
        RunningServices.Services services = running.start(s -> s.stock("widget=100")
                .gremlin("fixed(200ms) after route=\"PUT /reservations/*\"")
                .timeout(Duration.ofSeconds(3)));
        String orderId = OrderHttpApi.orderIdForKey("double-click");

        // When 50 clients send the same order with the same key at once
        List<RawHttp.Reply> replies = sendTogether(services, "double-click", OrderHttp.order("widget", 3));

        // Then each got the one order (the first its creation, the others a replay), a 409 to retry,
        // or (on a machine too loaded to answer within the timeout) a documented "retry" answer
        assertThat(replies).allSatisfy(reply -> {
            if (isToldToRetry(reply)) {
                return;
            }
            if (reply.status() == 202) {
                // The machine was too slow for inventory's answer to arrive within the timeout
                assertThat(reply.field("status")).isEqualTo("PENDING");
            } else if (reply.status() == 409) {
                assertThat(reply.problemType()).isEqualTo(IN_PROGRESS);
                assertThat(reply.header("Retry-After")).isEqualTo("1");
            } else {
                assertThat(reply.status()).as("%s", reply).isEqualTo(201);
                assertThat(reply.field("orderId")).isEqualTo(orderId);
                assertThat(reply.field("status")).isEqualTo("CONFIRMED");
                assertThat(reply.header("Location")).isEqualTo("/orders/" + orderId);
            }
        });
        List<RawHttp.Reply> created = replies.stream()
                .filter(reply -> reply.status() == 201 && reply.header("Idempotent-Replayed") == null)
                .toList();
        assertThat(created).hasSizeLessThanOrEqualTo(1);
        await().atMost(Duration.ofSeconds(15))
                .until(() -> services.orderNamed(orderId).status() == OrderStatus.CONFIRMED);

        // And a client told 409 that retries gets the first answer, replayed byte for byte
        for (RawHttp.Reply busy :
                replies.stream().filter(reply -> reply.status() == 409).toList()) {
            RawHttp.Reply retried =
                    OrderHttp.placeOrder(services.orderUri(), "double-click", OrderHttp.order("widget", 3));
            assertThat(retried.status()).as("retry after %s", busy).isIn(200, 201);
            if (!created.isEmpty()) {
                assertThat(retried.header("Idempotent-Replayed")).isEqualTo("true");
                assertThat(retried.body()).isEqualTo(created.get(0).body());
            }
        }

        // And there is one order, one reservation, and the stock was taken once
        assertThat(services.orders()).containsExactly(java.util.Map.entry(orderId, "CONFIRMED|widget|3"));
        assertThat(services.reservations()).containsExactly(java.util.Map.entry(orderId, "RESERVED|widget|3"));
        assertThat(services.stock("widget").available()).isEqualTo(97);
        assertThat(DatabaseRows.count(services.orderDb(), "SELECT COUNT(*) FROM idempotency_record"))
                .isEqualTo(1);
    }

    @Test
    void fiftyConcurrentRequestsWithOneKeyForAPendingOrderAllSeeThatOrderUntilItSettles() throws Exception {
        // Given inventory that reserves at once but answers after the order timeout
        RunningServices.Services services = running.start(s -> s.stock("widget=100")
                .gremlin("fixed(1s) after route=\"PUT /reservations/*\"")
                .timeout(Duration.ofMillis(300)));
        String orderId = OrderHttpApi.orderIdForKey("slow-click");

        // When 50 clients send the same order with the same key at once
        List<RawHttp.Reply> replies = sendTogether(services, "slow-click", OrderHttp.order("widget", 2));

        // Then every answer is that order, still pending (a retry runs again and reads it), a 409, or
        // (on a machine too loaded to answer within the timeout) a documented "retry" answer
        assertThat(replies).allSatisfy(reply -> {
            if (isToldToRetry(reply)) {
                return;
            }
            if (reply.status() == 409) {
                assertThat(reply.problemType()).isEqualTo(IN_PROGRESS);
            } else {
                assertThat(reply.status()).as("%s", reply).isEqualTo(202);
                assertThat(reply.field("orderId")).isEqualTo(orderId);
                assertThat(reply.field("status")).isEqualTo("PENDING");
                assertThat(reply.header("Idempotent-Replayed"))
                        .as("a pending answer is never replayed")
                        .isNull();
            }
        });
        assertThat(replies).anyMatch(reply -> reply.status() == 202);

        // And a different body under that key is refused even while the order is pending
        RawHttp.Reply reused = OrderHttp.placeOrder(services.orderUri(), "slow-click", OrderHttp.order("widget", 5));
        assertThat(reused.status()).isEqualTo(422);
        assertThat(reused.problemType()).isEqualTo(KEY_REUSED);

        // When the reconciler has settled it, a retry gets the settled order, and from then on a replay
        // (CONFIRMED; FAILED only if the reserve reached inventory after its budget ran out, on a
        // machine too loaded to deliver it within the 300 ms timeout)
        await().atMost(Duration.ofSeconds(15))
                .until(() -> services.orderNamed(orderId).status().isFinal());
        String outcome = services.orderNamed(orderId).status().name();
        RawHttp.Reply settled = services.place("slow-click", "widget", 2);
        assertThat(settled.status()).isEqualTo(200);
        assertThat(settled.field("status")).isEqualTo(outcome).isIn("CONFIRMED", "FAILED");
        assertThat(settled.header("Idempotent-Replayed")).isNull();
        RawHttp.Reply replayed = services.place("slow-click", "widget", 2);
        assertThat(replayed.status()).isEqualTo(200);
        assertThat(replayed.header("Idempotent-Replayed")).isEqualTo("true");
        assertThat(replayed.body()).isEqualTo(settled.body());

        // And there is still one order and one reservation
        if (outcome.equals("CONFIRMED")) {
            assertThat(services.orders()).containsExactly(java.util.Map.entry(orderId, "CONFIRMED|widget|2"));
            assertThat(services.reservations()).containsExactly(java.util.Map.entry(orderId, "RESERVED|widget|2"));
            assertThat(services.stock("widget").available()).isEqualTo(98);
        } else {
            assertThat(services.orders()).containsExactly(java.util.Map.entry(orderId, "FAILED|widget|2"));
            assertThat(services.reservations()).containsExactly(java.util.Map.entry(orderId, "CANCELLED|null|null"));
            assertThat(services.stock("widget").available()).isEqualTo(100);
        }
    }

    @Test
    void theSameOrderWithItsFieldsReorderedIsAReplayNotAReusedKey() {
        RunningServices.Services services =
                running.start(s -> s.stock("widget=100").timeout(Duration.ofSeconds(3)));
        RawHttp.Reply first =
                OrderHttp.placeOrder(services.orderUri(), "k-reorder", "{\"sku\":\"widget\",\"quantity\":2}");

        RawHttp.Reply again = OrderHttp.placeOrder(
                services.orderUri(), "k-reorder", "{ \"quantity\" : 2.0,\n  \"sku\" : \"widget\" }");

        assertThat(first.status()).isEqualTo(201);
        assertThat(again.status()).as("%s", again).isEqualTo(201);
        assertThat(again.header("Idempotent-Replayed")).isEqualTo("true");
        assertThat(again.body()).isEqualTo(first.body());
        assertThat(again.header("Location")).isEqualTo(first.header("Location"));
        assertThat(services.stock("widget").available()).isEqualTo(98);
    }

    @Test
    void theSameKeyWithAnotherQuantityIsRefusedAndChangesNothing() {
        RunningServices.Services services =
                running.start(s -> s.stock("widget=100").timeout(Duration.ofSeconds(3)));
        RawHttp.Reply first = services.place("k-change", "widget", 2);
        List<String> orderTables = Tables.orderSnapshot(services.orderDb());
        List<String> inventoryTables = Tables.inventorySnapshot(services.inventoryDb());

        RawHttp.Reply changed = services.place("k-change", "widget", 3);

        assertThat(first.status()).isEqualTo(201);
        assertThat(changed.status()).isEqualTo(422);
        assertThat(changed.problemType()).isEqualTo(KEY_REUSED);
        assertThat(Tables.orderSnapshot(services.orderDb())).isEqualTo(orderTables);
        assertThat(Tables.inventorySnapshot(services.inventoryDb())).isEqualTo(inventoryTables);
    }

    @Test
    void aQuotedAndABareKeyAreOneKeyAndSoOneOrder() {
        RunningServices.Services services =
                running.start(s -> s.stock("widget=100").timeout(Duration.ofSeconds(3)));

        RawHttp.Reply bare = OrderHttp.placeOrder(services.orderUri(), "abc-123", OrderHttp.order("widget", 1));
        RawHttp.Reply quoted = OrderHttp.placeOrder(services.orderUri(), "\"abc-123\"", OrderHttp.order("widget", 1));

        assertThat(bare.status()).isEqualTo(201);
        assertThat(quoted.status()).isEqualTo(201);
        assertThat(quoted.header("Idempotent-Replayed")).isEqualTo("true");
        assertThat(quoted.field("orderId")).isEqualTo(bare.field("orderId"));
        assertThat(services.orders()).hasSize(1);
    }

    @Test
    void withoutTheHeaderTheBodysOrderIdIsTheKey() {
        RunningServices.Services services =
                running.start(s -> s.stock("widget=100").timeout(Duration.ofSeconds(3)));
        String body = "{\"orderId\":\"shop-42\",\"sku\":\"widget\",\"quantity\":4}";

        RawHttp.Reply first = OrderHttp.placeOrder(services.orderUri(), null, body);
        RawHttp.Reply retry = OrderHttp.placeOrder(services.orderUri(), null, body);
        RawHttp.Reply other = OrderHttp.placeOrder(
                services.orderUri(), null, "{\"orderId\":\"shop-42\",\"sku\":\"widget\",\"quantity\":5}");

        assertThat(first.status()).isEqualTo(201);
        assertThat(first.field("orderId")).isEqualTo("shop-42");
        assertThat(retry.header("Idempotent-Replayed")).isEqualTo("true");
        assertThat(other.status()).isEqualTo(422);
        assertThat(other.problemType()).isEqualTo(KEY_REUSED);
        assertThat(services.orders()).containsExactly(java.util.Map.entry("shop-42", "CONFIRMED|widget|4"));
        assertThat(services.stock("widget").available()).isEqualTo(96);
    }

    /** Sends {@code body} with {@code key} from {@link #CLIENTS} threads released together. */
    private static List<RawHttp.Reply> sendTogether(RunningServices.Services services, String key, String body)
            throws Exception {
        ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
        try {
            CountDownLatch ready = new CountDownLatch(CLIENTS);
            CountDownLatch go = new CountDownLatch(1);
            List<Future<RawHttp.Reply>> futures = new ArrayList<>();
            for (int i = 0; i < CLIENTS; i++) {
                futures.add(clients.submit(() -> {
                    ready.countDown();
                    go.await();
                    return OrderHttp.placeOrder(services.orderUri(), key, body);
                }));
            }
            assertThat(ready.await(10, TimeUnit.SECONDS)).isTrue();
            go.countDown();
            List<RawHttp.Reply> replies = new ArrayList<>();
            for (Future<RawHttp.Reply> future : futures) {
                replies.add(future.get(30, TimeUnit.SECONDS));
            }
            return replies;
        } finally {
            clients.shutdownNow();
        }
    }

    /**
     * A 503 with Retry-After (the order or idempotency store did not answer within the timeout) or a
     * 504 (the timeout passed before the request reached the route): what the deadline rule answers
     * on a machine too loaded to do the work in time. Nothing was written for it.
     */
    private static boolean isToldToRetry(RawHttp.Reply reply) {
        if (reply.status() == 503) {
            assertThat(reply.problemType())
                    .isIn(
                            "urn:valerix:problem:overloaded",
                            "urn:valerix:problem:order-store-unavailable",
                            "urn:valerix:problem:idempotency-store-unavailable");
            assertThat(reply.header("Retry-After")).isEqualTo("1");
            return true;
        }
        if (reply.status() == 504) {
            assertThat(reply.problemType()).isEqualTo("urn:valerix:problem:deadline-exceeded");
            return true;
        }
        return false;
    }
}
