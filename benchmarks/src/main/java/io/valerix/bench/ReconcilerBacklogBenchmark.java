package io.valerix.bench;

import com.zaxxer.hikari.HikariDataSource;
import io.valerix.core.jdbc.H2Database;
import io.valerix.inventory.InventoryConfig;
import io.valerix.inventory.InventoryService;
import io.valerix.order.InProcessInventoryClient;
import io.valerix.order.OrderReconciler;
import io.valerix.order.OrderService;
import io.valerix.order.OrderStatus;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The reconciler draining a backlog of {@value #BACKLOG} PENDING orders (issue 14's "after an
 * overload"): {@link OrderReconciler#settleOnce()} from the first claim to the last settle, on
 * durable H2 files (WRITE_DELAY=0), with the real inventory library in process. Half the orders
 * were reserved at inventory (CONFIRMED: a lookup and a settle), half never arrived (FAILED: a
 * lookup, a cancel that writes a tombstone, a settle).
 *
 * <p>The score is the time per settled order; orders/s = 1,000,000 / score (µs). Goal: at least
 * 200 orders/s, i.e. a score of at most 5,000 µs/op.
 *
 * <p>Run: {@code java -jar benchmarks/target/benchmarks.jar ReconcilerBacklogBenchmark}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@OperationsPerInvocation(ReconcilerBacklogBenchmark.BACKLOG)
@Fork(value = 1, jvmArgsAppend = "-Xmx1g")
@Warmup(iterations = 1)
@Measurement(iterations = 3)
public class ReconcilerBacklogBenchmark {

    static final int BACKLOG = 2000;

    private Path dir;
    private HikariDataSource orderDb;
    private HikariDataSource inventoryDb;
    private OrderReconciler reconciler;

    @Setup(Level.Iteration)
    public void seedBacklog() throws IOException, SQLException {
        dir = Files.createTempDirectory("valerix-reconciler-bench");
        orderDb = H2Database.open(dir, "orders", 16);
        inventoryDb = H2Database.open(dir, "inventory", 16);
        InventoryService inventory = InventoryService.create(
                inventoryDb,
                InventoryConfig.builder().stock("widget", 1_000_000).build());
        OrderService orders = OrderService.builder()
                .dataSource(orderDb)
                .inventory(new InProcessInventoryClient(inventory))
                .timeout(Duration.ofSeconds(1))
                .build();
        OffsetDateTime longAgo = OffsetDateTime.now(ZoneOffset.UTC).minusHours(1);
        try (Connection c = orderDb.getConnection();
                PreparedStatement insert = c.prepareStatement(
                        "INSERT INTO orders (order_id, sku, quantity, status, message, created_at, updated_at)"
                                + " VALUES (?, 'widget', 1, 'PENDING', 'pending', ?, ?)")) {
            c.setAutoCommit(false);
            for (int i = 0; i < BACKLOG; i++) {
                insert.setString(1, "backlog-" + i);
                insert.setObject(2, longAgo);
                insert.setObject(3, longAgo);
                insert.addBatch();
                if (i % 2 == 0) {
                    inventory.reserve("backlog-" + i, "widget", 1);
                }
            }
            insert.executeBatch();
            c.commit();
        }
        reconciler = OrderReconciler.builder(orders)
                .settleAfter(Duration.ofSeconds(2))
                .build();
    }

    @Benchmark
    public int drainBacklog() {
        int settled = reconciler.settleOnce();
        if (settled != BACKLOG || reconciler.settledCounts().get(OrderStatus.CONFIRMED) != BACKLOG / 2) {
            throw new IllegalStateException(
                    "settled " + settled + " of " + BACKLOG + ": " + reconciler.settledCounts());
        }
        return settled;
    }

    @TearDown(Level.Iteration)
    public void removeDatabases() throws IOException {
        reconciler.close();
        orderDb.close();
        inventoryDb.close();
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(path -> {
                try {
                    Files.delete(path);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
    }
}
