package io.valerix.order;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.zaxxer.hikari.HikariDataSource;
import io.valerix.core.gremlin.Gremlin;
import io.valerix.core.gremlin.GremlinDecision;
import io.valerix.core.gremlin.GremlinSpec;
import io.valerix.core.service.ServiceKit;
import io.valerix.core.testing.ChildJvm;
import io.valerix.core.testing.DatabaseEngine;
import io.valerix.core.testing.DatabaseRows;
import io.valerix.core.testing.RawHttp;
import io.valerix.core.testing.TestDatabase;
import io.valerix.inventory.InventoryServer;
import io.valerix.inventory.ReservationStatus;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@code kill -9} of an order-service JVM in the middle of a request: the restart under the same
 * instance id frees the idempotency claim the dead process held at once (not after its 60 s lease,
 * as a user once found: 409 {@code idempotency-request-in-progress} for a minute after the
 * restart), and the client's retry gets the one order there is, settled to what inventory really
 * did, never a second one.
 */
@Tag("slow")
@Timeout(value = 60, unit = TimeUnit.SECONDS)
@ParameterizedClass
@EnumSource(DatabaseEngine.class)
class OrderCrashRecoveryTest {

    private static final String KEY = "crash-1";
    private static final String ORDER = OrderHttp.order("widget", 2);
    private static final Duration LEASE = Duration.ofSeconds(60);

    @Parameter
    DatabaseEngine engine;

    @TempDir
    Path dir;

    private TestDatabase orderDatabase;

    private final ExecutorService clients = Executors.newSingleThreadExecutor();
    private final AtomicInteger finishedReserves = new AtomicInteger();
    private Gremlin gremlin;
    private HikariDataSource inventoryDb;
    private InventoryServer inventory;
    private ChildJvm child;
    private HikariDataSource restartedDb;
    private OrderServer restarted;

    @AfterEach
    void stop() {
        clients.shutdownNow();
        if (child != null) {
            child.close();
        }
        if (restarted != null) {
            restarted.close();
        }
        if (restartedDb != null) {
            restartedDb.close();
        }
        if (inventory != null) {
            inventory.close();
        }
        if (inventoryDb != null) {
            inventoryDb.close();
        }
    }

    @Test
    void killedAfterInventoryReservedTheRetryGetsTheOneOrderConfirmed() throws Exception {
        // Given inventory that reserves at once but answers only after 30 s, and an order service in
        // its own JVM waiting for that answer with an order PENDING and the key claimed
        startInventory("fixed(30s) after route=\"PUT /reservations/*\"");
        URI orders = startChild(Duration.ofSeconds(7));
        long sent = System.nanoTime();
        Future<RawHttp.Reply> inFlight = clients.submit(() -> OrderHttp.placeOrder(orders, KEY, ORDER));
        String orderId = OrderHttpApi.orderIdForKey(KEY);
        await().atMost(Duration.ofSeconds(10))
                .until(() -> inventory.service().find(orderId).status() == ReservationStatus.RESERVED);

        // When the order service is killed mid-request and restarted on the same files
        killChild(inFlight);
        restart();

        // Then the first retry after the restart gets the one order there is, long before the lease ends
        retryAtOnceAfterTheRestart(sent);
        await().atMost(Duration.ofSeconds(15))
                .until(() -> restarted.service().find(orderId).orElseThrow().status() == OrderStatus.CONFIRMED);
        RawHttp.Reply settled = OrderHttp.placeOrder(restarted.uri(), KEY, ORDER);
        assertThat(settled.status()).isEqualTo(200);
        assertThat(settled.field("orderId")).isEqualTo(orderId);
        assertThat(settled.field("status")).isEqualTo("CONFIRMED");

        // And there is one order, one reservation, and the stock was taken once
        assertOneOrder(orderId, "CONFIRMED|widget|2");
        assertThat(reservations()).containsExactly(Map.entry(orderId, "RESERVED|widget|2"));
        assertThat(inventory.service().stockLevel("widget").orElseThrow().available())
                .isEqualTo(98);
    }

    @Test
    void killedBeforeInventoryActedTheRetryGetsTheOneOrderFailedAndNoStockIsTaken() throws Exception {
        // Given inventory that holds every reserve 4 s before acting, longer than the order's 3 s
        // budget, and an order service in its own JVM waiting on such a reserve
        startInventory("fixed(4s) before route=\"PUT /reservations/*\"");
        URI orders = startChild(Duration.ofSeconds(3));
        long sent = System.nanoTime();
        Future<RawHttp.Reply> inFlight = clients.submit(() -> OrderHttp.placeOrder(orders, KEY, ORDER));
        String orderId = OrderHttpApi.orderIdForKey(KEY);
        await().atMost(Duration.ofSeconds(10))
                .until(() -> gremlin.recentDecisions().stream()
                        .map(GremlinDecision::method)
                        .anyMatch("PUT"::equals));

        // When the order service is killed mid-request and restarted on the same files
        killChild(inFlight);
        restart();

        // Then the retry gets the one order, which the reconciler cancels at inventory and fails
        retryAtOnceAfterTheRestart(sent);
        await().atMost(Duration.ofSeconds(15))
                .until(() -> restarted.service().find(orderId).orElseThrow().status() == OrderStatus.FAILED);
        RawHttp.Reply settled = OrderHttp.placeOrder(restarted.uri(), KEY, ORDER);
        assertThat(settled.status()).isEqualTo(200);
        assertThat(settled.field("status")).isEqualTo("FAILED");

        // And the held reserve, when it reaches inventory, takes nothing
        await().atMost(Duration.ofSeconds(10)).until(() -> finishedReserves.get() == 1);
        assertOneOrder(orderId, "FAILED|widget|2");
        assertThat(reservations()).containsExactly(Map.entry(orderId, "CANCELLED|null|null"));
        assertThat(inventory.service().stockLevel("widget").orElseThrow().available())
                .isEqualTo(100);
    }

    private void startInventory(String spec) throws IOException {
        gremlin = Gremlin.builder(7).spec(GremlinSpec.parse(spec)).build();
        inventoryDb = engine.create(Files.createDirectories(dir.resolve("inventory")), "inventory")
                .open(8);
        inventory = InventoryServer.builder()
                .serviceToken(ServiceTokens.SERVICE_TOKEN)
                .dataSource(inventoryDb)
                .stock("widget=100")
                .filter((request, next) -> {
                    try {
                        return next.handle(request);
                    } finally {
                        if (request.route().equals("PUT /reservations/{orderId}")) {
                            finishedReserves.incrementAndGet();
                        }
                    }
                })
                .kit(ServiceKit.builder().gremlin(gremlin).build())
                .build()
                .start();
    }

    /** Starts the order service in a JVM of its own; returns its base URI once it serves. */
    private URI startChild(Duration timeout) throws Exception {
        orderDatabase = engine.create(Files.createDirectories(dir.resolve("orders")), OrderServer.DATABASE_NAME);
        child = ChildJvm.of(CrashingOrderProcess.class)
                .arguments(
                        inventory.uri().toString(), Long.toString(timeout.toMillis()), Long.toString(LEASE.toMillis()))
                .arguments(orderDatabase.toArguments())
                .stderrTo(dir.resolve("child.stderr.log"))
                .start();
        String ready = child.awaitLine("READY ", Duration.ofSeconds(30));
        return URI.create("http://127.0.0.1:" + ready.substring("READY ".length()));
    }

    private void killChild(Future<RawHttp.Reply> inFlight) throws InterruptedException {
        child.killMinusNine();
        assertThatThrownBy(() -> inFlight.get(10, TimeUnit.SECONDS))
                .as("the request in flight died with the process")
                .isInstanceOf(ExecutionException.class);
    }

    /** The order service again, on the database the killed one left; the test owns the pool, to read the tables. */
    private void restart() {
        restartedDb = orderDatabase.open(8);
        restarted = OrderServer.builder()
                .serviceToken(ServiceTokens.SERVICE_TOKEN)
                .dataSource(restartedDb)
                .inventory(inventory.uri())
                .timeout(Duration.ofMillis(300))
                .idempotencyLease(LEASE)
                .instanceId(CrashingOrderProcess.INSTANCE_ID)
                // Heartbeats too slow to go stale within the test: only the restart itself frees the claim.
                .heartbeatPeriod(Duration.ofMinutes(1))
                .build()
                .start();
    }

    /**
     * Retries as a client would, once, right after the restart: the claim the killed process held is
     * free (the restart retired its incarnation), so the retry reads the order by its id.
     */
    private void retryAtOnceAfterTheRestart(long sentNanos) {
        RawHttp.Reply first = OrderHttp.placeOrder(restarted.uri(), KEY, ORDER);
        Duration sinceSent = Duration.ofNanos(System.nanoTime() - sentNanos);

        assertThat(sinceSent)
                .as("the retry must come within the lease for this test to prove the restart freed the claim")
                .isLessThan(LEASE);
        assertThat(first.status()).as("%s", first).isIn(200, 202);
        assertThat(first.field("orderId")).isEqualTo(OrderHttpApi.orderIdForKey(KEY));
    }

    private void assertOneOrder(String orderId, String expected) {
        assertThat(DatabaseRows.rows(restartedDb, "SELECT order_id, status, sku, quantity FROM orders"))
                .containsExactly(orderId + "|" + expected);
        assertThat(DatabaseRows.count(restartedDb, "SELECT COUNT(*) FROM idempotency_record"))
                .isEqualTo(1);
    }

    private Map<String, String> reservations() {
        Map<String, String> records = new java.util.LinkedHashMap<>();
        for (String row :
                DatabaseRows.rows(inventoryDb, "SELECT order_id, status, sku, quantity FROM inventory_reservation")) {
            int bar = row.indexOf('|');
            records.put(row.substring(0, bar), row.substring(bar + 1));
        }
        return records;
    }
}
