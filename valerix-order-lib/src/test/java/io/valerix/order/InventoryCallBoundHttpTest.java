package io.valerix.order;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.valerix.core.gremlin.GremlinDecision;
import io.valerix.core.testing.RawHttp;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Past the bound on concurrent inventory calls, an order is refused at once instead of queueing. */
class InventoryCallBoundHttpTest {

    @RegisterExtension
    final RunningServices running = new RunningServices();

    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void pastTheBoundAnOrderGetsAFast503WithRetryAfterAndNothingIsWritten() throws Exception {
        // Given an order service that lets 2 requests wait on inventory, and both of them waiting
        RunningServices.Services services = running.start(s -> s.stock("widget=100")
                .gremlin("fixed(2s) before route=\"PUT /reservations/*\"")
                .timeout(Duration.ofSeconds(4))
                .order(order -> order.maxConcurrentInventoryCalls(2)));
        ExecutorService clients = Executors.newFixedThreadPool(2);
        List<Future<RawHttp.Reply>> waiting = List.of(
                clients.submit(() -> services.place("first", "widget", 1)),
                clients.submit(() -> services.place("second", "widget", 1)));
        await().atMost(Duration.ofSeconds(30)).until(() -> reservesAtInventory(services) == 2);
        List<String> orderTables = Tables.orderSnapshot(services.orderDb());

        // When a third order comes
        RawHttp.Reply third = services.place("third", "widget", 1);

        // Then it is refused at once, told when to retry, and leaves nothing behind
        assertThat(third.status()).as("%s", third).isEqualTo(503);
        assertThat(third.problemType()).isEqualTo("urn:valerix:problem:overloaded");
        assertThat(third.header("Retry-After")).isEqualTo("1");
        // Refused, not queued: a queued request would have waited out the 2 s hold. The 503 is the proof;
        // the bound only has to stay below the hold on a loaded machine.
        assertThat(third.elapsed()).isLessThan(Duration.ofMillis(1_500));
        assertThat(Tables.orderSnapshot(services.orderDb())).isEqualTo(orderTables);
        assertThat(reservesAtInventory(services)).isEqualTo(2);

        // And once the two are done, the same request with the same key goes through
        for (Future<RawHttp.Reply> reply : waiting) {
            assertThat(reply.get(10, TimeUnit.SECONDS).status()).isEqualTo(201);
        }
        clients.shutdown();
        services.gremlin("none");
        RawHttp.Reply retried = services.place("third", "widget", 1);
        assertThat(retried.status()).isEqualTo(201);
        assertThat(services.stock("widget").available()).isEqualTo(97);
    }

    /** Reserve requests that have reached inventory (the gremlin decides on each as it arrives). */
    private static long reservesAtInventory(RunningServices.Services services) {
        return services.gremlin().recentDecisions().stream()
                .map(GremlinDecision::method)
                .filter("PUT"::equals)
                .count();
    }
}
