package io.valerix.order;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.valerix.core.testing.DatabaseEngine;
import io.valerix.core.testing.RawHttp;
import io.valerix.inventory.StockLevel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The original system's trouble, end to end: inventory's gremlin delays every answer by 0 to 5 s
 * after doing the work, and the order service must still answer every order in time, then settle
 * every one of them with stock taken exactly once.
 *
 * <p>Timing on a shared 2-core machine: the clients measure each reply. A cold JVM compiles the
 * whole path (OkHttp, Jackson, H2, the filters) while its first concurrent requests run, which
 * made them overshoot by up to 600 ms (and still 80 ms after 40 orders), so a burst of 100 orders
 * goes first, unmeasured, and is settled before the measured ones.
 * The reconciler settles each burst's orders after it (see {@link #SETTLE_AFTER}). And other
 * processes can stall every thread of this one for 100 ms at any moment, so the burst of 100
 * orders is measured up to three times, and one burst with every reply in time passes. A real
 * overshoot (a timeout counted late, a call not cancelled, a queue) shows in every burst.
 */
@Tag("slow")
@ParameterizedClass
@EnumSource(DatabaseEngine.class)
class OrderChaosAcceptanceTest {

    @Parameter
    DatabaseEngine engine;

    private static final Duration TIMEOUT = Duration.ofMillis(300);
    /**
     * What a reply may take beyond the timeout. Not a speed target (the benchmarks measure the
     * overshoot): a reply that waited for the gremlin would take up to 5 s, and of 100 such replies
     * some are sure to pass TIMEOUT + 2 s, while a deadline-bounded reply stays under it even when
     * the machine is busy with other work.
     */
    private static final Duration OVERSHOOT = Duration.ofSeconds(2);

    private static final int ORDERS = 100;
    private static final int THREADS = 20;
    private static final int MAX_BURSTS = 3;
    /**
     * Longer than a burst takes, so the reconciler settles a burst's orders after it: 64 settles at
     * once beside the burst, on 2 cores, made its replies 50 to 150 ms later.
     */
    private static final Duration SETTLE_AFTER = Duration.ofSeconds(3);

    private static final String[] SKUS = {"widget", "gadget", "gizmo"};

    private static final Logger log = LoggerFactory.getLogger(OrderChaosAcceptanceTest.class);

    @RegisterExtension
    final RunningServices running = new RunningServices();

    @Test
    @Timeout(value = 100, unit = TimeUnit.SECONDS)
    void underTheOriginalGremlinEveryOrderAnswersInTimeAndSettlesWithStockTakenExactlyOnce() throws Exception {
        // Given inventory behind the original gremlin (seeded), and a 300 ms order timeout; widget
        // and gadget have less stock than will be asked for, so some orders are rejected
        RunningServices.Services services = running.start(s -> s.engine(engine)
                .stock("widget=50,gadget=40,gizmo=2000")
                .gremlin("uniform(0ms,5s) after")
                .seed(20_261_125)
                .timeout(TIMEOUT)
                .order(order -> order.settleAfter(SETTLE_AFTER).reconcileParallelism(ORDERS)));
        int placed = placedOrToldToRetry(placeConcurrently(services, "warm-up-", ORDERS));
        awaitSettled(services);

        // When 20 clients place 100 orders at once, each with its own key
        List<String> bursts = new ArrayList<>();
        List<RawHttp.Reply> late = List.of();
        for (int burst = 1; burst <= MAX_BURSTS; burst++) {
            List<RawHttp.Reply> replies = placeConcurrently(services, "chaos-" + burst + "-", ORDERS);

            // Then every reply is 201 or 202, or on a machine too loaded to write the order in time a
            // documented 503 with Retry-After (and, in one burst at least, came within the timeout)
            assertThat(replies).hasSize(ORDERS);
            placed += placedOrToldToRetry(replies);
            assertThat(replies).as("the gremlin made some orders wait").anyMatch(reply -> reply.status() == 202);
            late = replies.stream()
                    .filter(reply -> reply.elapsed().compareTo(TIMEOUT.plus(OVERSHOOT)) > 0)
                    .toList();
            bursts.add("burst " + burst + ": " + percentiles(replies) + ", " + late.size() + " late");

            // And once the reconciler has settled them, no order is left PENDING
            awaitSettled(services);
            if (late.isEmpty()) {
                break;
            }
            log.warn("{}; measuring again", bursts.get(bursts.size() - 1));
        }
        Map<String, String> orders = services.orders();
        Map<String, String> reservations = services.reservations();
        assertThat(orders).hasSize(placed);
        assertThat(orders.values())
                .as("final statuses")
                .allSatisfy(o -> assertThat(o).matches("(CONFIRMED|REJECTED|FAILED)\\|.*"));

        // And stock was taken exactly once per CONFIRMED order, never for another
        Map<String, Long> confirmedPerSku = new HashMap<>();
        orders.forEach((orderId, order) -> {
            String[] parts = order.split("\\|");
            String reservation = reservations.get(orderId);
            switch (parts[0]) {
                case "CONFIRMED" -> {
                    assertThat(reservation)
                            .as("reservation of CONFIRMED %s", orderId)
                            .isEqualTo("RESERVED|" + parts[1] + "|" + parts[2]);
                    confirmedPerSku.merge(parts[1], Long.parseLong(parts[2]), Long::sum);
                }
                case "REJECTED" ->
                    assertThat(reservation)
                            .as("reservation of REJECTED %s", orderId)
                            .isEqualTo("REJECTED|" + parts[1] + "|" + parts[2]);
                default ->
                    assertThat(reservation)
                            .as("reservation of FAILED %s", orderId)
                            .satisfiesAnyOf(
                                    r -> assertThat(r).isNull(),
                                    r -> assertThat(r).startsWith("CANCELLED|"),
                                    r -> assertThat(r).startsWith("RELEASED|"));
            }
        });
        assertThat(reservations.keySet()).as("reservations without an order").isSubsetOf(orders.keySet());

        // And per SKU, total = available + reserved, where reserved is what the CONFIRMED orders hold
        for (String sku : SKUS) {
            StockLevel level = services.stock(sku);
            assertThat(level.total()).as("%s", level).isEqualTo(level.available() + level.reserved());
            assertThat(level.reserved()).as("%s", level).isEqualTo(confirmedPerSku.getOrDefault(sku, 0L));
        }
        assertThat(orders.values()).as("some orders ran out of stock").anyMatch(o -> o.startsWith("REJECTED|"));

        // And (checked last, so that a stalled machine does not hide the checks above) one burst had
        // every reply within the timeout
        assertThat(late)
                .as(
                        "replies over %s ms in every burst (%s)",
                        TIMEOUT.plus(OVERSHOOT).toMillis(), bursts)
                .isEmpty();
    }

    /**
     * Checks that every reply placed its order (201, 202) or was told to retry with nothing written
     * (503 {@code order-store-unavailable} or {@code idempotency-store-unavailable}, with Retry-After:
     * the order database did not answer within the timeout; or 503 {@code overloaded}: the request
     * waited its whole timeout to be served); returns how many placed one.
     */
    private static int placedOrToldToRetry(List<RawHttp.Reply> replies) {
        int placed = 0;
        for (RawHttp.Reply reply : replies) {
            if (reply.status() == 503) {
                assertThat(reply.problemType())
                        .as("%s", reply)
                        .isIn(
                                "urn:valerix:problem:overloaded",
                                "urn:valerix:problem:order-store-unavailable",
                                "urn:valerix:problem:idempotency-store-unavailable");
                assertThat(reply.header("Retry-After")).isEqualTo("1");
            } else {
                assertThat(reply.status()).as("%s", reply).isIn(201, 202);
                placed++;
            }
        }
        return placed;
    }

    private static void awaitSettled(RunningServices.Services services) {
        await().atMost(Duration.ofSeconds(180))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> services.pendingOrders() == 0);
    }

    /** The replies' latencies: p50, p90, p99 and max in milliseconds. */
    private static String percentiles(List<RawHttp.Reply> replies) {
        List<Long> millis = replies.stream()
                .map(reply -> reply.elapsed().toMillis())
                .sorted()
                .toList();
        return "p50 " + millis.get(millis.size() / 2) + " ms, p90 " + millis.get(millis.size() * 9 / 10) + " ms, p99 "
                + millis.get(millis.size() * 99 / 100) + " ms, max " + millis.get(millis.size() - 1) + " ms";
    }

    /** Places {@code count} orders from {@link #THREADS} clients, each with its own key. */
    private static List<RawHttp.Reply> placeConcurrently(RunningServices.Services services, String keyPrefix, int count)
            throws Exception {
        ExecutorService clients = Executors.newFixedThreadPool(THREADS);
        try {
            List<Future<RawHttp.Reply>> futures = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                String key = keyPrefix + i;
                String sku = SKUS[i % SKUS.length];
                int quantity = 1 + (i / SKUS.length) % 3;
                futures.add(clients.submit(() -> services.place(key, sku, quantity)));
            }
            List<RawHttp.Reply> replies = new ArrayList<>();
            for (Future<RawHttp.Reply> future : futures) {
                replies.add(future.get(30, TimeUnit.SECONDS));
            }
            return replies;
        } finally {
            clients.shutdownNow();
        }
    }
}
