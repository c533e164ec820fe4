package io.valerix.harness.services;

import io.valerix.core.gremlin.DecisionListener;
import io.valerix.core.gremlin.Gremlin;
import io.valerix.core.gremlin.GremlinSpec;
import io.valerix.core.health.HealthConfig;
import io.valerix.core.health.LatencyMonitor;
import io.valerix.core.health.MonitoredCalls;
import io.valerix.core.http.BearerTokenFilter;
import io.valerix.core.http.JsonServer;
import io.valerix.core.service.ServiceKit;
import io.valerix.core.time.NanoClock;
import io.valerix.inventory.InventoryServer;
import io.valerix.order.OrderServer;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * The order and inventory services running side by side on loopback, wired the way Valerix is
 * meant to run: the gremlin in front of inventory, latency monitors and health lights on both,
 * {@code /health} and {@code /metrics} on both, admin routes behind one bearer token, reservation
 * writes behind a separate service token, and, on H2, every write journaled and archived
 * continuously to {@code <dataDir>/archive} ({@link ServiceArchiving}). The databases are what
 * {@link Settings#storage()} says: H2 files, a private PostgreSQL cluster, or an existing PostgreSQL
 * server. {@link #start} returns only once the pair is {@linkplain Warmup warm}.
 *
 * <p>Who starts it closes it.
 */
public final class ServicePair implements AutoCloseable {

    /** The environment variable the admin token is read from when none is given; child processes get theirs here too. */
    public static final String ADMIN_TOKEN_ENV = "VALERIX_ADMIN_TOKEN";
    /** The environment variable the service token is read from when none is given; child processes get theirs here too. */
    public static final String SERVICE_TOKEN_ENV = "VALERIX_SERVICE_TOKEN";
    /** The stock when none is given: some plentiful, some scarce, so some orders must be rejected. */
    public static final String DEFAULT_STOCK = "widget=1000,gadget=300,gizmo=100,doohickey=25";

    /**
     * How the pair is set up.
     *
     * @param adminToken the operators' token: {@code /admin/**} on both services and the dashboard's API
     * @param serviceToken the token the order service sends to write reservations at inventory;
     *     separate from the admin token
     * @param warmupOrders how many orders {@link Warmup} runs on scratch databases before {@link
     *     #start} returns; 0 skips them (pools are filled and the inventory link opened anyway)
     * @param archive where H2's journal is archived; null for {@code <dataDir>/archive}
     */
    public record Settings(
            int orderPort,
            int inventoryPort,
            GremlinSpec gremlin,
            long seed,
            Duration timeout,
            Map<String, Integer> stock,
            String adminToken,
            String serviceToken,
            Path dataDir,
            HealthConfig health,
            int warmupOrders,
            Storage storage,
            ArchiveLocation archive) {

        public Settings {
            Objects.requireNonNull(gremlin, "gremlin");
            Objects.requireNonNull(timeout, "timeout");
            Objects.requireNonNull(stock, "stock");
            Objects.requireNonNull(adminToken, "adminToken");
            Objects.requireNonNull(serviceToken, "serviceToken");
            Objects.requireNonNull(dataDir, "dataDir");
            Objects.requireNonNull(health, "health");
            Objects.requireNonNull(storage, "storage");
            if (adminToken.equals(serviceToken)) {
                throw new IllegalArgumentException("the service token must differ from the admin token");
            }
            if (warmupOrders < 0) {
                throw new IllegalArgumentException("warmupOrders must not be negative, but was " + warmupOrders);
            }
            stock = Map.copyOf(stock);
        }

        /** Settings archiving to {@code <dataDir>/archive}. */
        public Settings(
                int orderPort,
                int inventoryPort,
                GremlinSpec gremlin,
                long seed,
                Duration timeout,
                Map<String, Integer> stock,
                String adminToken,
                String serviceToken,
                Path dataDir,
                HealthConfig health,
                int warmupOrders,
                Storage storage) {
            this(
                    orderPort,
                    inventoryPort,
                    gremlin,
                    seed,
                    timeout,
                    stock,
                    adminToken,
                    serviceToken,
                    dataDir,
                    health,
                    warmupOrders,
                    storage,
                    null);
        }

        /** These settings archiving to {@code archive} (null: {@code <dataDir>/archive}). */
        public Settings withArchive(ArchiveLocation archive) {
            return new Settings(
                    orderPort,
                    inventoryPort,
                    gremlin,
                    seed,
                    timeout,
                    stock,
                    adminToken,
                    serviceToken,
                    dataDir,
                    health,
                    warmupOrders,
                    storage,
                    archive);
        }

        /** Where the journal is archived: {@link #archive()}, or {@code <dataDir>/archive}. */
        public ArchiveLocation archiveLocation() {
            return archive != null ? archive : ArchiveLocation.directory(ServiceArchiving.defaultArchive(dataDir));
        }

        /**
         * Settings with a fresh random service token, no warm-up orders (pools are still filled) and the
         * databases as H2 files under {@code dataDir}.
         */
        public Settings(
                int orderPort,
                int inventoryPort,
                GremlinSpec gremlin,
                long seed,
                Duration timeout,
                Map<String, Integer> stock,
                String adminToken,
                Path dataDir,
                HealthConfig health) {
            this(
                    orderPort,
                    inventoryPort,
                    gremlin,
                    seed,
                    timeout,
                    stock,
                    adminToken,
                    BearerTokenFilter.randomToken(),
                    dataDir,
                    health,
                    0,
                    Storage.h2());
        }

        /** Settings with the databases as H2 files under {@code dataDir}. */
        public Settings(
                int orderPort,
                int inventoryPort,
                GremlinSpec gremlin,
                long seed,
                Duration timeout,
                Map<String, Integer> stock,
                String adminToken,
                String serviceToken,
                Path dataDir,
                HealthConfig health,
                int warmupOrders) {
            this(
                    orderPort,
                    inventoryPort,
                    gremlin,
                    seed,
                    timeout,
                    stock,
                    adminToken,
                    serviceToken,
                    dataDir,
                    health,
                    warmupOrders,
                    Storage.h2());
        }

        /** These settings with {@code orders} warm-up orders. */
        public Settings withWarmupOrders(int orders) {
            return new Settings(
                    orderPort,
                    inventoryPort,
                    gremlin,
                    seed,
                    timeout,
                    stock,
                    adminToken,
                    serviceToken,
                    dataDir,
                    health,
                    orders,
                    storage,
                    archive);
        }

        /** These settings with the databases {@code storage} says. */
        public Settings withStorage(Storage storage) {
            return new Settings(
                    orderPort,
                    inventoryPort,
                    gremlin,
                    seed,
                    timeout,
                    stock,
                    adminToken,
                    serviceToken,
                    dataDir,
                    health,
                    warmupOrders,
                    storage,
                    archive);
        }
    }

    private final Settings settings;
    private final NanoClock clock;
    private final Instant startedAt;
    private final long startNanos;
    private final Gremlin gremlin;
    private final LatencyMonitor orderMonitor;
    private final LatencyMonitor inventoryMonitor;
    private final InventoryServer inventory;
    private final OrderServer order;
    private final ServiceArchiving archiving;
    private volatile Warmup.Report warmup;

    private ServicePair(
            Settings settings,
            NanoClock clock,
            Instant startedAt,
            long startNanos,
            Gremlin gremlin,
            LatencyMonitor orderMonitor,
            LatencyMonitor inventoryMonitor,
            InventoryServer inventory,
            OrderServer order,
            ServiceArchiving archiving) {
        this.settings = settings;
        this.clock = clock;
        this.startedAt = startedAt;
        this.startNanos = startNanos;
        this.gremlin = gremlin;
        this.orderMonitor = orderMonitor;
        this.inventoryMonitor = inventoryMonitor;
        this.inventory = inventory;
        this.order = order;
        this.archiving = archiving;
    }

    /**
     * Starts inventory, then the order service pointing at it.
     *
     * @param orderRoutes more routes for the order service, for example the dashboard
     */
    public static ServicePair start(Settings settings, Consumer<JsonServer.Builder> orderRoutes) {
        return start(settings, orderRoutes, decision -> {});
    }

    /**
     * Starts the pair as {@link #start(Settings, Consumer)} does, telling {@code gremlinListener}
     * every decision of the inventory's gremlin (for example a {@link io.valerix.core.gremlin.DecisionLog}).
     */
    public static ServicePair start(
            Settings settings, Consumer<JsonServer.Builder> orderRoutes, DecisionListener gremlinListener) {
        NanoClock clock = NanoClock.system();
        // Read just before the monitors are created, so it is their origin too (within microseconds).
        Instant startedAt = Instant.now();
        long startNanos = clock.nanoTime();
        Gremlin gremlin = Gremlin.builder(settings.seed())
                .spec(settings.gremlin())
                .listener(gremlinListener)
                .build();
        LatencyMonitor inventoryMonitor = LatencyMonitor.of(settings.health(), clock);
        LatencyMonitor orderMonitor = LatencyMonitor.of(
                settings.health().toBuilder().dependencies("inventory").build(), clock);

        ServiceArchiving archiving = ServiceArchiving.open(
                settings.storage(),
                settings.dataDir(),
                settings.archiveLocation(),
                io.valerix.core.backup.JournalArchiver.DEFAULT_SEAL_INTERVAL);
        InventoryServer inventory;
        OrderServer order = null;
        try {
            InventoryServer.Builder inventoryBuilder = InventoryServer.builder()
                    .name("inventory")
                    .dataSource(archiving.inventoryDatabase())
                    .changeJournal(archiving.journal())
                    .port(settings.inventoryPort())
                    .serviceToken(settings.serviceToken())
                    .kit(archiving
                            .addInventoryHealth(ServiceKit.builder()
                                    .monitor(inventoryMonitor)
                                    .clock(clock)
                                    .adminToken(settings.adminToken())
                                    .gremlin(gremlin))
                            .build())
                    .extraRoutes(archiving::installInventoryRoutes);
            settings.stock().forEach(inventoryBuilder::stock);
            inventory = inventoryBuilder.build().start();
            try {
                order = OrderServer.builder()
                        .name("order")
                        .dataSource(archiving.ordersDatabase())
                        .changeJournal(archiving.journal())
                        .inventory(inventory.uri())
                        .serviceToken(settings.serviceToken())
                        .inventoryCallListener(MonitoredCalls.into(orderMonitor))
                        .timeout(settings.timeout())
                        .port(settings.orderPort())
                        .kit(archiving
                                .addOrderHealth(ServiceKit.builder()
                                        .monitor(orderMonitor)
                                        .clock(clock)
                                        .adminToken(settings.adminToken()))
                                .build())
                        .extraRoutes(archiving::installOrderRoutes)
                        .extraRoutes(orderRoutes)
                        .build()
                        .start();
                archiving.start();
            } catch (RuntimeException e) {
                if (order != null) {
                    order.close();
                }
                inventory.close();
                throw e;
            }
        } catch (RuntimeException e) {
            archiving.close();
            throw e;
        }
        ServicePair pair = new ServicePair(
                settings,
                clock,
                startedAt,
                startNanos,
                gremlin,
                orderMonitor,
                inventoryMonitor,
                inventory,
                order,
                archiving);
        try {
            pair.warmup = Warmup.run(pair, settings.warmupOrders());
        } catch (RuntimeException e) {
            pair.close();
            throw e;
        }
        return pair;
    }

    /** What warm-up did before {@link #start} returned: the pair is announced only after it. */
    public Warmup.Report warmup() {
        return warmup;
    }

    public URI orderUri() {
        return order.uri();
    }

    public URI inventoryUri() {
        return inventory.uri();
    }

    /**
     * The wall-clock instant the pair started. Both monitors count their
     * {@link io.valerix.core.health.LightTransition#sinceStart()} from it (to within microseconds), so
     * {@code startedAt().plus(t.sinceStart())} is when a light changed.
     */
    public Instant startedAt() {
        return startedAt;
    }

    /** Time since {@link #startedAt()} on the monitors' monotonic clock, comparable to {@code sinceStart}. */
    public Duration elapsed() {
        return Duration.ofNanos(clock.nanoTime() - startNanos);
    }

    public Gremlin gremlin() {
        return gremlin;
    }

    /** The order service's monitor; its {@code inventory} dependency is inventory as the order service sees it. */
    public LatencyMonitor orderMonitor() {
        return orderMonitor;
    }

    public LatencyMonitor inventoryMonitor() {
        return inventoryMonitor;
    }

    public OrderServer order() {
        return order;
    }

    public InventoryServer inventory() {
        return inventory;
    }

    public Settings settings() {
        return settings;
    }

    /** The journal, archivers and databases behind both services. */
    public ServiceArchiving archiving() {
        return archiving;
    }

    /**
     * Stops the order service first, so nothing calls inventory while it stops; then archives what
     * is left and closes the databases.
     */
    @Override
    public void close() {
        try {
            order.close();
        } finally {
            try {
                inventory.close();
            } finally {
                archiving.close();
            }
        }
    }
}
