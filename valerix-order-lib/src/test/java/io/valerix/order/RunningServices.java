package io.valerix.order;

import com.zaxxer.hikari.HikariDataSource;
import io.valerix.core.gremlin.Gremlin;
import io.valerix.core.gremlin.GremlinSpec;
import io.valerix.core.service.ServiceKit;
import io.valerix.core.testing.DatabaseEngine;
import io.valerix.core.testing.DatabaseRows;
import io.valerix.core.testing.RawHttp;
import io.valerix.inventory.InventoryServer;
import io.valerix.inventory.StockLevel;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Comparator;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A real inventory server and a real order server per test, on real ports of 127.0.0.1 and fresh
 * databases (H2 files in a fresh directory by default, or PostgreSQL, see {@link Settings#engine}), with the gremlin between them. The test owns both data sources,
 * so it can read the tables directly. Started by {@link #start(Consumer)}, closed after each test
 * (or after the class, see {@link #perClass()}).
 *
 * <p>With {@link Transport#IN_PROCESS} the order service calls the inventory service in its own
 * JVM, and the same gremlin gets between them through {@link GremlinInventoryService}.
 */
final class RunningServices implements AfterEachCallback, AfterAllCallback {

    /** How the order service reaches inventory. */
    enum Transport {
        HTTP,
        IN_PROCESS
    }

    /** What to start; every setting has a default a test can override. */
    static final class Settings {
        private String stock = "widget=100";
        private String gremlin = "none";
        private long seed = 42;
        private Transport transport = Transport.HTTP;
        private Duration timeout = Duration.ofMillis(300);
        private DatabaseEngine engine = DatabaseEngine.H2;
        private Consumer<OrderServer.Builder> order = builder -> {};
        private UnaryOperator<DataSource> orderDatabase = UnaryOperator.identity();
        private UnaryOperator<DataSource> inventoryDatabase = UnaryOperator.identity();

        /** Wraps the order service's database as it sees it, for example to count its commits. */
        Settings orderDatabase(UnaryOperator<DataSource> wrap) {
            this.orderDatabase = wrap;
            return this;
        }

        /** Wraps the inventory service's database as it sees it. */
        Settings inventoryDatabase(UnaryOperator<DataSource> wrap) {
            this.inventoryDatabase = wrap;
            return this;
        }

        Settings stock(String pairs) {
            this.stock = pairs;
            return this;
        }

        Settings gremlin(String spec) {
            this.gremlin = spec;
            return this;
        }

        Settings seed(long seed) {
            this.seed = seed;
            return this;
        }

        Settings transport(Transport transport) {
            this.transport = transport;
            return this;
        }

        /** The engine both services' databases run on; default H2. */
        Settings engine(DatabaseEngine engine) {
            this.engine = engine;
            return this;
        }

        Settings timeout(Duration timeout) {
            this.timeout = timeout;
            return this;
        }

        /** More settings of the order server, for example its reconciler's. */
        Settings order(Consumer<OrderServer.Builder> more) {
            Consumer<OrderServer.Builder> previous = order;
            order = builder -> {
                previous.accept(builder);
                more.accept(builder);
            };
            return this;
        }
    }

    /** The running pair. */
    static final class Services {
        private final Gremlin gremlin;
        private final HikariDataSource inventoryDb;
        private final InventoryServer inventory;
        private final HikariDataSource orderDb;
        private final OrderServer order;
        private final AtomicInteger finishedReserves;

        private Services(
                Gremlin gremlin,
                HikariDataSource inventoryDb,
                InventoryServer inventory,
                HikariDataSource orderDb,
                OrderServer order,
                AtomicInteger finishedReserves) {
            this.finishedReserves = finishedReserves;
            this.gremlin = gremlin;
            this.inventoryDb = inventoryDb;
            this.inventory = inventory;
            this.orderDb = orderDb;
            this.order = order;
        }

        Gremlin gremlin() {
            return gremlin;
        }

        /** Replaces the gremlin's spec from the next request on. */
        void gremlin(String spec) {
            gremlin.replaceSpec(GremlinSpec.parse(spec));
        }

        InventoryServer inventory() {
            return inventory;
        }

        HikariDataSource inventoryDb() {
            return inventoryDb;
        }

        OrderServer order() {
            return order;
        }

        HikariDataSource orderDb() {
            return orderDb;
        }

        URI orderUri() {
            return order.uri();
        }

        /** {@code POST /orders} for {@code quantity} of {@code sku} under {@code key}. */
        RawHttp.Reply place(String key, String sku, int quantity) {
            return OrderHttp.placeOrder(order.uri(), key, OrderHttp.order(sku, quantity));
        }

        /** The order as stored. */
        Order orderNamed(String orderId) {
            return order.service().find(orderId).orElseThrow(() -> new AssertionError("no order " + orderId));
        }

        /** The stock of {@code sku}, read past the gremlin. */
        StockLevel stock(String sku) {
            return inventory.service().stockLevel(sku).orElseThrow();
        }

        /** Every reservation record at inventory: order id to {@code STATUS|sku|quantity}, read from its database. */
        Map<String, String> reservations() {
            Map<String, String> records = new LinkedHashMap<>();
            for (String row : DatabaseRows.rows(
                    inventoryDb,
                    "SELECT order_id, status, sku, quantity FROM inventory_reservation ORDER BY order_id")) {
                int bar = row.indexOf('|');
                records.put(row.substring(0, bar), row.substring(bar + 1));
            }
            return records;
        }

        /** Every order: order id to {@code STATUS|sku|quantity}, read from the order database. */
        Map<String, String> orders() {
            Map<String, String> records = new LinkedHashMap<>();
            for (String row : DatabaseRows.rows(
                    orderDb, "SELECT order_id, status, sku, quantity FROM orders ORDER BY order_id")) {
                int bar = row.indexOf('|');
                records.put(row.substring(0, bar), row.substring(bar + 1));
            }
            return records;
        }

        /**
         * Reserve requests inventory has finished with, the gremlin's delays included (over HTTP, those
         * that reached its server): a test waits for a held request to be over before checking that
         * it took nothing.
         */
        int finishedReserves() {
            return finishedReserves.get();
        }

        long pendingOrders() {
            return DatabaseRows.count(orderDb, "SELECT COUNT(*) FROM orders WHERE status = 'PENDING'");
        }
    }

    private final Deque<AutoCloseable> open = new ArrayDeque<>();
    private final boolean perClass;
    private Path root;

    /** Services started in a test are closed after it. */
    RunningServices() {
        this(false);
    }

    private RunningServices(boolean perClass) {
        this.perClass = perClass;
    }

    /** For a static field: services started once (in {@code @BeforeAll}) serve every test of the class. */
    static RunningServices perClass() {
        return new RunningServices(true);
    }

    /** Starts inventory, then the order service pointing at it. */
    Services start(Consumer<Settings> configure) {
        Settings settings = new Settings();
        configure.accept(settings);
        try {
            if (root == null) {
                root = Files.createTempDirectory("valerix-order-test");
            }
            Path dir = Files.createTempDirectory(root, "pair");
            Gremlin gremlin = Gremlin.builder(settings.seed)
                    .spec(GremlinSpec.parse(settings.gremlin))
                    .build();
            AtomicInteger finishedReserves = new AtomicInteger();

            HikariDataSource inventoryDb =
                    closing(settings.engine.create(dir, "inventory").open(16));
            InventoryServer.Builder inventoryBuilder = InventoryServer.builder()
                    .serviceToken(ServiceTokens.SERVICE_TOKEN)
                    .dataSource(settings.inventoryDatabase.apply(inventoryDb))
                    .stock(settings.stock);
            if (settings.transport == Transport.HTTP) {
                inventoryBuilder
                        .filter((request, next) -> {
                            try {
                                return next.handle(request);
                            } finally {
                                if (request.route().equals("PUT /reservations/{orderId}")) {
                                    finishedReserves.incrementAndGet();
                                }
                            }
                        })
                        .kit(ServiceKit.builder().gremlin(gremlin).build());
            }
            InventoryServer inventory = closing(inventoryBuilder.build().start());

            HikariDataSource orderDb =
                    closing(settings.engine.create(dir, "orders").open(16));
            OrderServer.Builder orderBuilder = OrderServer.builder()
                    .serviceToken(ServiceTokens.SERVICE_TOKEN)
                    .dataSource(settings.orderDatabase.apply(orderDb))
                    .timeout(settings.timeout);
            if (settings.transport == Transport.HTTP) {
                orderBuilder.inventory(inventory.uri());
            } else {
                orderBuilder.inventory(closing(new InProcessInventoryClient(
                        GremlinInventoryService.wrap(inventory.service(), gremlin, finishedReserves))));
            }
            settings.order.accept(orderBuilder);
            OrderServer order = closing(orderBuilder.build().start());
            return new Services(gremlin, inventoryDb, inventory, orderDb, order, finishedReserves);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private <T extends AutoCloseable> T closing(T resource) {
        open.push(resource);
        return resource;
    }

    @Override
    public void afterEach(ExtensionContext context) throws Exception {
        if (!perClass) {
            closeAll();
        }
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        closeAll();
    }

    private void closeAll() throws Exception {
        Exception failure = null;
        while (!open.isEmpty()) {
            try {
                open.pop().close();
            } catch (Exception e) {
                failure = failure == null ? e : failure;
            }
        }
        if (root != null) {
            deleteRecursively(root);
            root = null;
        }
        if (failure != null) {
            throw failure;
        }
    }

    private static void deleteRecursively(Path root) throws IOException {
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }
}
