package io.valerix.order;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.zaxxer.hikari.HikariDataSource;
import io.valerix.core.gremlin.Gremlin;
import io.valerix.core.gremlin.GremlinFilter;
import io.valerix.core.gremlin.GremlinSpec;
import io.valerix.core.testing.DatabaseEngine;
import io.valerix.core.testing.DatabaseRows;
import io.valerix.core.testing.RawHttp;
import io.valerix.core.testing.TestDatabase;
import io.valerix.inventory.InventoryServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Several order services on one order database, each a real server on its own loopback port with
 * its own pool, in front of one real inventory: idempotency claims, fencing and the reconciler hold
 * across them, and a key held by an instance that died is freed by heartbeats or by its restart,
 * not by waiting out the 60 s lease.
 *
 * <p>A "kill" closes the instance's pool first, so nothing it still does reaches the database (its
 * heartbeat stops, its claims stay, it retires nothing), as after {@code kill -9}.
 */
@ParameterizedClass
@EnumSource(DatabaseEngine.class)
@Tag("slow")
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class OrderInstancesTest {

    private static final int STOCK = 1000;
    private static final Duration TIMEOUT = Duration.ofSeconds(1);
    private static final Duration FAST_HEARTBEAT = Duration.ofMillis(200);
    /** So slow that no heartbeat goes stale within a test: only a restart can free anything. */
    private static final Duration SLOW_HEARTBEAT = Duration.ofMinutes(1);

    @Parameter
    DatabaseEngine engine;

    @TempDir
    Path dir;

    private final Deque<AutoCloseable> open = new ArrayDeque<>();
    private Gremlin gremlin;
    private InventoryServer inventory;
    private TestDatabase orderDatabase;
    private HikariDataSource observer;

    /** One order service and the pool only it uses. */
    private record Instance(OrderServer server, HikariDataSource pool) {
        /** Stops as {@code kill -9} would leave it: the database sees nothing more from it. */
        void kill() {
            pool.close();
            server.close();
        }
    }

    @BeforeEach
    void startInventory() {
        gremlin = Gremlin.builder(42).spec(GremlinSpec.parse("none")).build();
        HikariDataSource inventoryDb = closing(engine.create(dir, "inventory").open(8));
        inventory = closing(InventoryServer.builder()
                .serviceToken(ServiceTokens.SERVICE_TOKEN)
                .dataSource(inventoryDb)
                .stock("widget=" + STOCK)
                .filter(GremlinFilter.of(gremlin))
                .build()
                .start());
        orderDatabase = engine.create(dir, "orders");
        observer = closing(orderDatabase.open(2));
    }

    @AfterEach
    void stopAll() throws Exception {
        while (!open.isEmpty()) {
            open.pop().close();
        }
    }

    @Test
    void duplicatesOfOneKeyOnThreeInstancesMakeOneOrderReserveStockOnceAndAreSettledOnce() throws Exception {
        // Given three instances, and inventory whose answers come after the order timeout, so every
        // order is left PENDING for the three reconcilers to settle
        List<Instance> instances = List.of(
                start("order-a", FAST_HEARTBEAT), start("order-b", FAST_HEARTBEAT), start("order-c", FAST_HEARTBEAT));
        gremlin.replaceSpec(GremlinSpec.parse("fixed(1500ms) after route=\"PUT /reservations/*\""));
        int keys = 4;

        // When each key is sent twice to each instance, all at once
        List<Future<RawHttp.Reply>> sent = new ArrayList<>();
        try (ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int k = 0; k < keys; k++) {
                for (int copy = 0; copy < 2; copy++) {
                    for (Instance instance : instances) {
                        String key = "spread-" + k;
                        sent.add(clients.submit(() ->
                                OrderHttp.placeOrder(instance.server().uri(), key, OrderHttp.order("widget", 3))));
                    }
                }
            }
        }

        // Then no answer is an error, each key made one order, and the reconcilers together settled
        // each order once: stock taken once per confirmed order (a reserve that came too late for a
        // loaded machine is cancelled and fails the order, taking nothing)
        for (Future<RawHttp.Reply> reply : sent) {
            RawHttp.Reply answer = reply.get();
            if (answer.status() >= 409) {
                // Busy, or on a loaded machine told to retry; never an error that changed anything
                assertThat(answer.problemType())
                        .as("%s", answer)
                        .isIn(
                                "urn:valerix:problem:idempotency-request-in-progress",
                                "urn:valerix:problem:overloaded",
                                "urn:valerix:problem:deadline-exceeded",
                                "urn:valerix:problem:order-store-unavailable",
                                "urn:valerix:problem:idempotency-store-unavailable");
            } else {
                assertThat(answer.status()).as("%s", answer).isIn(200, 201, 202);
                assertThat(answer.field("orderId")).startsWith("k-");
            }
        }
        await().atMost(Duration.ofSeconds(60))
                .untilAsserted(() -> assertThat(
                                DatabaseRows.count(observer, "SELECT COUNT(*) FROM orders WHERE status = 'PENDING'"))
                        .isZero());
        assertThat(DatabaseRows.count(observer, "SELECT COUNT(*) FROM orders")).isEqualTo(keys);
        long confirmed = DatabaseRows.count(observer, "SELECT COUNT(*) FROM orders WHERE status = 'CONFIRMED'");
        assertThat(inventory.service().stockLevel("widget").orElseThrow().available())
                .isEqualTo(STOCK - 3 * confirmed);
        long settled = instances.stream()
                .mapToLong(instance -> instance.server().reconciler().settledCounts().values().stream()
                        .mapToLong(Long::longValue)
                        .sum())
                .sum();
        assertThat(settled).isEqualTo(keys);
    }

    @Test
    void aKeyInFlightOnAKilledInstanceIsReplayedThroughAnotherWithinAFewHeartbeatsNotTheLease() {
        // Given two instances, and a request on A that holds its key when A is killed
        Instance a = start("order-a", FAST_HEARTBEAT);
        Instance b = start("order-b", FAST_HEARTBEAT);
        long tokenAtKill = leaveAClaimBehind(a, "in-flight");

        // When the client replays the key through B
        long killedAt = System.nanoTime();
        AtomicReference<RawHttp.Reply> replay = new AtomicReference<>();
        await().atMost(Duration.ofSeconds(20))
                .pollInterval(Duration.ofMillis(50))
                .until(() -> {
                    replay.set(OrderHttp.placeOrder(b.server().uri(), "in-flight", OrderHttp.order("widget", 2)));
                    return replay.get().status() != 409;
                });
        Duration recovered = Duration.ofNanos(System.nanoTime() - killedAt);

        // Then B answered with the order well before A's 60 s lease ended, took the claim over under
        // a larger fencing token, and stock was taken once
        assertThat(replay.get().status()).as("%s", replay.get()).isIn(200, 202);
        assertThat(replay.get().field("orderId")).isEqualTo(OrderHttpApi.orderIdForKey("in-flight"));
        assertThat(recovered).isLessThan(Duration.ofSeconds(30));
        assertThat(fencingToken("in-flight")).isGreaterThan(tokenAtKill);
        assertThat(DatabaseRows.count(observer, "SELECT COUNT(*) FROM orders")).isEqualTo(1);
        assertThat(inventory.service().stockLevel("widget").orElseThrow().available())
                .isEqualTo(STOCK - 2);
    }

    @Test
    void aRestartUnderTheSameInstanceIdFreesTheKeysOfItsKilledIncarnationAtOnce() {
        // Given heartbeats too slow to go stale in this test, and A killed holding a key
        Instance a = start("order-a", SLOW_HEARTBEAT);
        Instance b = start("order-b", SLOW_HEARTBEAT);
        leaveAClaimBehind(a, "in-flight");
        RawHttp.Reply beforeRestart = OrderHttp.placeOrder(b.server().uri(), "in-flight", OrderHttp.order("widget", 2));

        // When A starts again under its instance id, and the client replays the key through it
        Instance restarted = start("order-a", SLOW_HEARTBEAT);
        RawHttp.Reply afterRestart =
                OrderHttp.placeOrder(restarted.server().uri(), "in-flight", OrderHttp.order("widget", 2));

        // Then the key was busy until the restart, and free at once after it
        assertThat(beforeRestart.status()).isEqualTo(409);
        assertThat(afterRestart.status()).as("%s", afterRestart).isIn(200, 202);
        assertThat(afterRestart.field("orderId")).isEqualTo(OrderHttpApi.orderIdForKey("in-flight"));
        assertThat(inventory.service().stockLevel("widget").orElseThrow().available())
                .isEqualTo(STOCK - 2);
    }

    private Instance start(String instanceId, Duration heartbeat) {
        HikariDataSource pool = closing(orderDatabase.open(8));
        OrderServer server = closing(OrderServer.builder()
                .name(instanceId)
                .serviceToken(ServiceTokens.SERVICE_TOKEN)
                .dataSource(pool)
                .inventory(inventory.uri())
                .timeout(TIMEOUT)
                .reconcileInterval(Duration.ofMillis(100))
                .instanceId(instanceId)
                .heartbeatPeriod(heartbeat)
                .build()
                .start());
        return new Instance(server, pool);
    }

    /**
     * Sends an order with {@code key} to {@code instance} while inventory is slow to answer, kills
     * the instance while the order waits on inventory (its key claimed, its stock reserved), and
     * returns the fencing token of the claim it left.
     */
    private long leaveAClaimBehind(Instance instance, String key) {
        gremlin.replaceSpec(GremlinSpec.parse("fixed(3s) after route=\"PUT /reservations/*\""));
        Thread.ofVirtual()
                .start(() -> OrderHttp.placeOrder(instance.server().uri(), key, OrderHttp.order("widget", 2)));
        await().atMost(Duration.ofSeconds(20))
                .until(() ->
                        inventory.service().stockLevel("widget").orElseThrow().available() == STOCK - 2);
        instance.kill();
        gremlin.replaceSpec(GremlinSpec.parse("none"));
        assertThat(DatabaseRows.rows(observer, "SELECT state FROM idempotency_record WHERE idem_key = '" + key + "'"))
                .containsExactly("IN_PROGRESS");
        return fencingToken(key);
    }

    private long fencingToken(String key) {
        return DatabaseRows.count(
                observer, "SELECT fencing_token FROM idempotency_record WHERE idem_key = '" + key + "'");
    }

    private <T extends AutoCloseable> T closing(T resource) {
        open.push(resource);
        return resource;
    }
}
