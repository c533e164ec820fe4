package io.valerix.harness.services;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.valerix.core.gremlin.Gremlin;
import io.valerix.core.health.HealthConfig;
import io.valerix.core.health.HealthReport;
import io.valerix.core.health.LatencyMonitor;
import io.valerix.core.health.MonitoredCalls;
import io.valerix.core.http.BearerTokenFilter;
import io.valerix.core.jdbc.H2Database;
import io.valerix.core.jdbc.PostgresCluster;
import io.valerix.core.service.ServiceKit;
import io.valerix.core.time.NanoClock;
import io.valerix.inventory.InventoryServer;
import io.valerix.order.OrderServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes a freshly started {@link ServicePair} warm before it is announced, so a burst right after
 * start meets the same bound as a later one.
 *
 * <p>Three parts:
 *
 * <ol>
 *   <li><b>The order path, compiled.</b> {@code orders} real orders run through a <em>scratch</em>
 *       pair of the same servers (the same HTTP server, filters, idempotency, JDBC stores and HTTP
 *       inventory client) on throwaway databases of the real pair's engine, gone afterwards: H2 in
 *       memory for H2 files, two scratch databases in the private PostgreSQL cluster for that
 *       cluster (the driver's code is on the path too: warmed on H2, the first burst on
 *       PostgreSQL missed a 1 s timeout by up to 200 ms). The JIT compiles code, not instances, so
 *       the real pair runs the compiled code from its first request, while its databases, its
 *       change journal and its gremlin's request numbering (which a seed must reproduce) never see
 *       a warm-up order. On an existing PostgreSQL server Valerix creates no database, so
 *       warm-up runs on H2 there and the driver's code compiles during the first requests.
 *   <li><b>Pools filled.</b> Every connection of both real pools is borrowed at once, which makes
 *       the pool open all of them, reads no row of each table (so each PostgreSQL session has
 *       loaded its tables' catalog entries), and is then returned.
 *   <li><b>The inventory connection open.</b> The order service's readiness check has called
 *       inventory over the request client's connection pool; warm-up waits until it says UP.
 * </ol>
 *
 * <p>Nothing here writes to the real databases.
 */
public final class Warmup {

    private static final Logger log = LoggerFactory.getLogger(Warmup.class);

    /** How many warm-up orders unless set: enough for C1 and most of C2 on the order path. */
    public static final int DEFAULT_ORDERS = 1500;

    private static final int CLIENTS = 4;
    private static final String SKU = "warmup";

    /**
     * What warm-up did.
     *
     * @param orders warm-up orders the scratch pair placed (answered 2xx)
     * @param scratch where they ran, for the console
     * @param took how long warm-up took
     * @param orderPool connections open in the order pool at the end, of {@code orderPoolMax}
     * @param inventoryPool connections open in the inventory pool at the end, of {@code inventoryPoolMax}
     * @param inventoryReachable whether the order service's readiness had reached inventory
     */
    public record Report(
            int orders,
            String scratch,
            Duration took,
            int orderPool,
            int orderPoolMax,
            int inventoryPool,
            int inventoryPoolMax,
            boolean inventoryReachable) {

        /** One line for the console. */
        public String summary() {
            return orders + " warm-up orders on " + scratch + " (gone now), pools open: order " + orderPool
                    + "/" + orderPoolMax
                    + ", inventory " + inventoryPool + "/" + inventoryPoolMax + ", inventory link "
                    + (inventoryReachable ? "open" : "NOT open")
                    + ", in " + took.toMillis() + " ms";
        }
    }

    private Warmup() {}

    /** Warms {@code pair}: {@code orders} scratch orders (0 skips them), then its pools and inventory link. */
    static Report run(ServicePair pair, int orders) {
        NanoClock clock = NanoClock.system();
        long start = clock.nanoTime();
        Placed placed = new Placed(0, "scratch databases");
        if (orders > 0) {
            try {
                placed = exerciseOrderPath(orders, pair.archiving().databases().cluster());
            } catch (RuntimeException e) {
                // The pair works cold too; a failed warm-up must not stop it from starting.
                log.warn("warm-up orders failed; the services start cold: {}", e.toString());
            }
        }
        fill(pair.archiving().ordersDatabase());
        fill(pair.archiving().inventoryDatabase());
        boolean reachable = pair.order().readiness().result("inventory").status() == HealthReport.Status.UP;
        HikariDataSource orderDb = pair.archiving().ordersDatabase();
        HikariDataSource inventoryDb = pair.archiving().inventoryDatabase();
        Report report = new Report(
                placed.orders(),
                placed.where(),
                Duration.ofNanos(clock.nanoTime() - start),
                orderDb.getHikariPoolMXBean().getTotalConnections(),
                orderDb.getMaximumPoolSize(),
                inventoryDb.getHikariPoolMXBean().getTotalConnections(),
                inventoryDb.getMaximumPoolSize(),
                reachable);
        log.info("warm: {}", report.summary());
        return report;
    }

    /**
     * Borrows every connection at once (the pool opens what it lacks), has each read no row of every
     * table, then returns them.
     */
    private static void fill(HikariDataSource pool) {
        List<Connection> held = new ArrayList<>();
        try {
            List<String> tables = null;
            for (int i = 0; i < pool.getMaximumPoolSize(); i++) {
                Connection connection = pool.getConnection();
                held.add(connection);
                connection.isValid(1);
                if (tables == null) {
                    tables = tables(connection);
                }
                touchTables(connection, tables);
            }
        } catch (SQLException e) {
            // Not fatal: the service works with a pool that fills lazily; the report shows it.
            log.warn("warm-up could not open every connection of {}: {}", pool.getPoolName(), e.getMessage());
        } finally {
            for (Connection connection : held) {
                try {
                    connection.close();
                } catch (SQLException e) {
                    log.debug("returning a warm-up connection failed", e);
                }
            }
        }
    }

    /** The tables of {@code connection}'s schema. */
    private static List<String> tables(Connection connection) throws SQLException {
        List<String> tables = new ArrayList<>();
        try (ResultSet rows =
                connection.getMetaData().getTables(null, connection.getSchema(), "%", new String[] {"TABLE"})) {
            while (rows.next()) {
                tables.add(rows.getString("TABLE_NAME"));
            }
        }
        return tables;
    }

    /**
     * Reads no row of each of {@code tables} on {@code connection}, so its server session has loaded
     * their catalog entries and indexes before the first request. A PostgreSQL session loads them at
     * its first statement on each table: in a burst right after start every pooled session did at
     * once.
     */
    private static void touchTables(Connection connection, List<String> tables) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            for (String table : tables) {
                statement.execute("SELECT * FROM \"" + table.replace("\"", "\"\"") + "\" LIMIT 0");
            }
        }
    }

    /** How many warm-up orders were placed, and on which databases, as the scratch order pool's URL says. */
    private record Placed(int orders, String where) {}

    /** Runs {@code orders} through a scratch pair on {@code cluster}, or on H2 in memory if it is null. */
    private static Placed exerciseOrderPath(int orders, PostgresCluster cluster) {
        String serviceToken = BearerTokenFilter.randomToken();
        String suffix = serviceToken.substring(0, 8); // lower-case hex: fits a database name
        if (cluster == null) {
            String name = "valerix-warmup-" + suffix;
            return exerciseOrderPath(
                    orders,
                    serviceToken,
                    () -> scratchDatabase(name + "-inventory", InventoryServer.DEFAULT_MAX_POOL_SIZE),
                    () -> scratchDatabase(name + "-orders", 16));
        }
        String inventoryName = "valerix_warmup_inventory_" + suffix;
        String orderName = "valerix_warmup_orders_" + suffix;
        try {
            return exerciseOrderPath(
                    orders,
                    serviceToken,
                    () -> scratchDatabase(cluster, inventoryName, InventoryServer.DEFAULT_MAX_POOL_SIZE),
                    () -> scratchDatabase(cluster, orderName, 16));
        } finally {
            cluster.dropDatabase(inventoryName);
            cluster.dropDatabase(orderName);
        }
    }

    private static Placed exerciseOrderPath(
            int orders,
            String serviceToken,
            Supplier<HikariDataSource> inventoryDatabase,
            Supplier<HikariDataSource> orderDatabase) {
        NanoClock clock = NanoClock.system();
        LatencyMonitor monitor = LatencyMonitor.of(HealthConfig.defaults(), clock);
        Gremlin gremlin = Gremlin.builder(1).build();
        try (HikariDataSource inventoryDb = inventoryDatabase.get();
                HikariDataSource orderDb = orderDatabase.get();
                InventoryServer inventory = InventoryServer.builder()
                        .name("warmup-inventory")
                        .dataSource(inventoryDb)
                        .serviceToken(serviceToken)
                        .stock(SKU, Integer.MAX_VALUE)
                        .kit(ServiceKit.builder()
                                .monitor(monitor)
                                .clock(clock)
                                .gremlin(gremlin)
                                .build())
                        .build()
                        .start();
                OrderServer order = OrderServer.builder()
                        .name("warmup-order")
                        .dataSource(orderDb)
                        .inventory(inventory.uri())
                        .serviceToken(serviceToken)
                        .inventoryCallListener(MonitoredCalls.into(monitor))
                        .kit(ServiceKit.builder().monitor(monitor).clock(clock).build())
                        .build()
                        .start()) {
            String where = orderDb.getJdbcUrl().startsWith("jdbc:postgresql:")
                    ? "scratch databases in the private PostgreSQL cluster"
                    : "scratch in-memory H2 databases";
            return new Placed(placeOrders(order.uri(), orders), where);
        }
    }

    /**
     * A scratch database in the private cluster, which the caller drops. Its commits do not wait
     * for the disk ({@code synchronous_commit = off}): the driver and the server run the same code
     * either way, and an fsync per warm-up commit would make warm-up many times slower.
     */
    private static HikariDataSource scratchDatabase(PostgresCluster cluster, String name, int poolSize) {
        cluster.createDatabase(name);
        try (Connection c = DriverManager.getConnection(
                        cluster.jdbcUrl(name), PostgresCluster.SUPERUSER, cluster.password());
                Statement statement = c.createStatement()) {
            statement.execute("ALTER DATABASE " + name + " SET synchronous_commit = off");
        } catch (SQLException e) {
            throw new IllegalStateException("preparing warm-up database " + name + ": " + e.getMessage(), e);
        }
        return cluster.dataSource(name, poolSize);
    }

    /**
     * A private in-memory H2 database, gone when its pool closes (DB_CLOSE_DELAY=0): the same SQL
     * engine, JDBC driver and pools as the real pair's H2 files, without a disk write per commit,
     * which on a busy machine made warm-up ten times slower.
     */
    private static HikariDataSource scratchDatabase(String name, int poolSize) {
        HikariConfig config = new HikariConfig();
        config.setPoolName(name);
        config.setJdbcUrl("jdbc:h2:mem:" + name
                + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;LOCK_TIMEOUT=10000");
        config.setUsername("sa");
        config.setPassword("");
        config.setMaximumPoolSize(poolSize);
        config.setMinimumIdle(1);
        config.setConnectionTimeout(H2Database.CONNECTION_TIMEOUT.toMillis());
        return new HikariDataSource(config);
    }

    private static int placeOrders(URI orderUri, int orders) {
        HttpClient http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5))
                .build();
        AtomicInteger next = new AtomicInteger();
        AtomicInteger placed = new AtomicInteger();
        try (ExecutorService clients = Executors.newFixedThreadPool(CLIENTS)) {
            List<Future<?>> running = new ArrayList<>();
            for (int c = 0; c < CLIENTS; c++) {
                running.add(clients.submit(() -> {
                    for (int i = next.getAndIncrement(); i < orders; i = next.getAndIncrement()) {
                        String id = "warmup-" + i;
                        String body = "{\"orderId\":\"" + id + "\",\"sku\":\"" + SKU + "\",\"quantity\":1}";
                        int status = send(
                                http,
                                HttpRequest.newBuilder(orderUri.resolve("/orders"))
                                        .header("Content-Type", "application/json")
                                        .header("Idempotency-Key", id)
                                        .POST(HttpRequest.BodyPublishers.ofString(body)));
                        if (status / 100 == 2) {
                            placed.incrementAndGet();
                        }
                        if (i % 10 == 0) {
                            // The replay and the read are on the path too.
                            send(
                                    http,
                                    HttpRequest.newBuilder(orderUri.resolve("/orders"))
                                            .header("Content-Type", "application/json")
                                            .header("Idempotency-Key", id)
                                            .POST(HttpRequest.BodyPublishers.ofString(body)));
                            send(
                                    http,
                                    HttpRequest.newBuilder(orderUri.resolve("/orders/" + id))
                                            .GET());
                        }
                    }
                }));
            }
            for (Future<?> f : running) {
                f.get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (java.util.concurrent.ExecutionException e) {
            log.warn("warm-up orders stopped early: {}", e.getCause().toString());
        }
        return placed.get();
    }

    private static int send(HttpClient http, HttpRequest.Builder request) {
        try {
            return http.send(request.timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.discarding())
                    .statusCode();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
