package io.valerix.order;

import com.zaxxer.hikari.HikariDataSource;
import io.valerix.core.deadline.Deadline;
import io.valerix.core.health.DatabaseHealthCheck;
import io.valerix.core.health.MonitoredCalls;
import io.valerix.core.health.Readiness;
import io.valerix.core.http.BearerTokenFilter;
import io.valerix.core.http.CallListener;
import io.valerix.core.http.Filter;
import io.valerix.core.http.HostAllowListFilter;
import io.valerix.core.http.JsonServer;
import io.valerix.core.idempotency.IdempotencyConfig;
import io.valerix.core.idempotency.IdempotencyFilter;
import io.valerix.core.idempotency.IdempotencyStore;
import io.valerix.core.idempotency.KeyExtractor;
import io.valerix.core.jdbc.DeadlineBoundDataSource;
import io.valerix.core.jdbc.H2Database;
import io.valerix.core.jdbc.SchemaMigrations;
import io.valerix.core.journal.ChangeJournal;
import io.valerix.core.service.ServiceKit;
import io.valerix.order.internal.InventoryLivenessCheck;
import java.net.InetAddress;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A runnable order service: its own database, the order routes behind the idempotency filter,
 * the reconciler, and housekeeping (idempotency purge and claim recovery, SKU catalog refresh).
 *
 * <pre>{@code
 * try (OrderServer orders = OrderServer.builder()
 *     .dataDirectory(Path.of("valerix-data/orders")).inventory(URI.create("http://127.0.0.1:8081"))
 *     .serviceToken(System.getenv("VALERIX_SERVICE_TOKEN"))
 *     .build().start()) { ... }
 * }</pre>
 *
 * <p>Security: every route answers only requests whose {@code Host} is loopback or an {@linkplain
 * Builder#allowedHosts allowed name} ({@link HostAllowListFilter}); calls to inventory carry the
 * {@linkplain Builder#serviceToken service token}.
 *
 * <p>Health: {@code GET /health/live} and {@code GET /health/ready} ({@link Readiness}): the
 * database on a dedicated connection ({@link DatabaseHealthCheck}, never the request pool) and,
 * with an HTTP inventory, inventory's {@code /health/live}.
 *
 * <p>Who starts it closes it; it closes the database only if it opened it. Thread-safe.
 */
public final class OrderServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(OrderServer.class);

    /** The name of the H2 database file the server opens in its data directory. */
    public static final String DATABASE_NAME = "orders";
    /** The connection pool size of the H2 database the server opens, unless set. */
    public static final int DEFAULT_MAX_POOL_SIZE = 16;

    /**
     * Adds routes to the server being built, given the server they will run in: its {@link
     * #service()}, {@link #reconciler()} and {@link #readiness()} are there when a request arrives
     * (not yet while routes are installed).
     */
    @FunctionalInterface
    public interface RouteInstaller {
        void install(JsonServer.Builder routes, OrderServer server);
    }

    /** Numbers the servers of this JVM whose default instance id has no port to tell them apart. */
    private static final java.util.concurrent.atomic.AtomicInteger UNPORTED =
            new java.util.concurrent.atomic.AtomicInteger();

    // A private copy taken at build(): later changes to the caller's builder never reach this server.
    private final Builder builder;
    private final String instanceId;
    private final Object lifecycle = new Object();
    private HikariDataSource ownedDataSource;
    private DatabaseHealthCheck databaseCheck;
    private Readiness readiness;
    private InventoryClient inventory;
    private OrderService service;
    private OrderReconciler reconciler;
    private OrderMetrics metrics;
    private IdempotencyFilter idempotency;
    private ScheduledExecutorService housekeeping;
    private JsonServer http;
    private boolean started;
    private boolean closed;

    private OrderServer(Builder builder, String instanceId) {
        this.builder = builder.copy();
        this.instanceId = instanceId;
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Opens the database, migrates it, loads the SKU catalog (if inventory answers within 2 s),
     * starts the reconciler and serves.
     */
    public OrderServer start() {
        synchronized (lifecycle) {
            if (started || closed) {
                throw new IllegalStateException("order server '" + builder.name + "' was already started");
            }
            started = true;
            try {
                DataSource dataSource = builder.dataSource;
                if (dataSource == null) {
                    ownedDataSource = H2Database.open(
                            builder.dataDirectory,
                            DATABASE_NAME,
                            builder.maxPoolSize == null ? DEFAULT_MAX_POOL_SIZE : builder.maxPoolSize);
                    dataSource = ownedDataSource;
                }
                ServiceKit baseKit =
                        builder.kit != null ? builder.kit : ServiceKit.builder().build();
                // Unless told otherwise, the kit's monitor times the calls to inventory too (its own light on /health).
                CallListener calls =
                        builder.callListener != null ? builder.callListener : MonitoredCalls.into(baseKit.monitor());
                inventory = builder.inventoryClient != null
                        ? builder.inventoryClient
                        : new HttpInventoryClient(builder.inventoryUri, builder.serviceToken, calls);
                // One gate for every user of the pool, so that no one waits on the pool itself.
                DeadlineBoundDataSource database = DeadlineBoundDataSource.of(dataSource);
                service = OrderService.builder()
                        .database(database)
                        .inventory(inventory)
                        .timeout(builder.timeout)
                        .maxConcurrentInventoryCalls(builder.maxConcurrentInventoryCalls)
                        .changeJournal(builder.changeJournal)
                        .build();
                service.refreshCatalog(Deadline.after(Duration.ofSeconds(2)));
                SchemaMigrations.migrate(dataSource, IdempotencyStore.SCHEMA);
                idempotency = IdempotencyFilter.of(
                        IdempotencyStore.of(database, builder.changeJournal),
                        IdempotencyConfig.builder()
                                .routes("POST /orders")
                                .claimWithFirstWrite(true)
                                .fallbackKey(KeyExtractor.bodyField("orderId"))
                                .lease(builder.idempotencyLease)
                                .instanceId(instanceId)
                                .heartbeatPeriod(builder.heartbeatPeriod)
                                .build());
                // Before serving: this start frees the claims its crashed predecessor (same instance id) left.
                idempotency.start();
                databaseCheck = builder.healthDataSource != null
                        ? DatabaseHealthCheck.using(builder.healthDataSource)
                        : DatabaseHealthCheck.dedicatedTo(dataSource);
                Readiness.Builder ready = Readiness.builder().check("database", databaseCheck);
                if (builder.inventoryUri != null) {
                    ready.check("inventory", new InventoryLivenessCheck(builder.inventoryUri));
                }
                readiness = ready.build().start();
                // Every wait a request makes (the idempotency check included) ends by the order timeout.
                JsonServer.Builder server = JsonServer.builder()
                        .name(builder.name)
                        .bindAddress(builder.bindAddress)
                        .port(builder.port)
                        .maxDeadline(builder.timeout);
                // Outermost: a request for a foreign Host is refused before anything else sees it. Then
                // the kit: latency light, admin token, the builder's filters, gremlin, idempotency.
                server.filter(HostAllowListFilter.forServer(builder.allowedHosts, builder.bindAddress));
                ServiceKit.Builder kit = baseKit.toBuilder()
                        // The readiness verdict, read from memory: /health never waits on the request pool.
                        .healthCheck("database", () -> readiness().result("database"))
                        .metrics(writer -> metrics().writeTo(writer))
                        .idempotency(idempotency);
                builder.filters.forEach(kit::filter);
                kit.build().installOn(server);
                readiness.install(server);
                builder.extraRoutes.install(server, this);
                http = OrderHttpApi.install(server, service).build().start();
                OrderReconciler.Builder reconcile = OrderReconciler.builder(service)
                        .interval(builder.reconcileInterval)
                        .callTimeout(builder.reconcileCallTimeout)
                        .parallelism(builder.reconcileParallelism);
                if (builder.settleAfter != null) {
                    reconcile.settleAfter(builder.settleAfter);
                }
                reconciler = reconcile.build().start();
                housekeeping = Executors.newSingleThreadScheduledExecutor(runnable -> {
                    Thread thread = new Thread(runnable, builder.name + "-housekeeping");
                    thread.setDaemon(true);
                    return thread;
                });
                housekeeping.scheduleWithFixedDelay(this::houseKeep, 30, 30, TimeUnit.SECONDS);
            } catch (RuntimeException | Error e) {
                closeQuietly();
                throw e;
            }
            log.info("{} serving {}", builder.name, http.uri());
            return this;
        }
    }

    private void houseKeep() {
        try {
            idempotency.purgeExpired();
            idempotency.recoverExpired();
            service.refreshCatalog(Deadline.after(Duration.ofSeconds(5)));
        } catch (RuntimeException e) {
            log.warn("housekeeping failed; next try in 30 s", e);
        }
    }

    public URI uri() {
        return http().uri();
    }

    public int port() {
        return http().port();
    }

    public OrderService service() {
        http();
        return service;
    }

    /** The instance id its idempotency claims name, fixed by {@link Builder#build()}; see {@link Builder#instanceId(String)}. */
    public String instanceId() {
        return instanceId;
    }

    public OrderReconciler reconciler() {
        http();
        return reconciler;
    }

    /** One for the server's life, made at the first scrape (the reconciler starts after the server), so its counts are reused. */
    private synchronized OrderMetrics metrics() {
        if (metrics == null) {
            metrics = new OrderMetrics(service(), reconciler());
        }
        return metrics;
    }

    /**
     * The readiness behind {@code /health/ready}; its verdicts are read from memory, so {@code
     * /health} can show them without touching the database or inventory.
     */
    public Readiness readiness() {
        http();
        return readiness;
    }

    private JsonServer http() {
        synchronized (lifecycle) {
            if (http == null) {
                throw new IllegalStateException("order server '" + builder.name + "' is not started");
            }
            return http;
        }
    }

    /** Stops serving (draining in-flight requests), then the reconciler, then closes what it opened. */
    @Override
    public void close() {
        synchronized (lifecycle) {
            if (closed) {
                return;
            }
            closed = true;
            closeQuietly();
        }
    }

    private void closeQuietly() {
        if (http != null) {
            http.close();
        }
        if (housekeeping != null) {
            housekeeping.shutdownNow();
        }
        if (readiness != null) {
            readiness.close();
        }
        if (databaseCheck != null) {
            databaseCheck.close();
        }
        if (reconciler != null) {
            reconciler.close();
        }
        if (idempotency != null) {
            // After serving stopped: nothing holds a claim any more, and any left over are freed at once.
            idempotency.close();
        }
        if (inventory instanceof AutoCloseable closeable && builder.inventoryClient == null) {
            try {
                closeable.close();
            } catch (Exception e) {
                log.warn("closing the inventory client failed", e);
            }
        }
        if (ownedDataSource != null) {
            ownedDataSource.close();
        }
    }

    /** Builds an {@link OrderServer}; validated in {@link #build()}. */
    public static final class Builder {
        private String name = "order";
        private Path dataDirectory;
        private DataSource dataSource;
        private Integer maxPoolSize;
        private URI inventoryUri;
        private InventoryClient inventoryClient;
        private CallListener callListener; // null: the kit's monitor
        private Duration timeout = Duration.ofSeconds(2);
        private int maxConcurrentInventoryCalls = 256;
        private Duration reconcileInterval = Duration.ofMillis(500);
        private ChangeJournal changeJournal = ChangeJournal.off();
        private Duration settleAfter;
        private Duration reconcileCallTimeout = Duration.ofSeconds(10);
        private int reconcileParallelism = OrderReconciler.DEFAULT_PARALLELISM;
        private Duration idempotencyLease = IdempotencyConfig.DEFAULT_LEASE;
        private String instanceId;
        private Duration heartbeatPeriod = IdempotencyConfig.DEFAULT_HEARTBEAT_PERIOD;
        private int port = 0;
        private InetAddress bindAddress = InetAddress.getLoopbackAddress();
        private final List<Filter> filters = new ArrayList<>();
        private RouteInstaller extraRoutes = (server, running) -> {};
        // Made at start when not given, so that each server gets a monitor of its own.
        private ServiceKit kit;
        private String serviceToken;
        private final Set<String> allowedHosts = new LinkedHashSet<>();
        private DataSource healthDataSource;

        private Builder() {}

        /** A copy with its own collections, so that changes to either do not reach the other. */
        private Builder copy() {
            Builder b = new Builder();
            b.name = name;
            b.dataDirectory = dataDirectory;
            b.dataSource = dataSource;
            b.maxPoolSize = maxPoolSize;
            b.inventoryUri = inventoryUri;
            b.inventoryClient = inventoryClient;
            b.callListener = callListener;
            b.timeout = timeout;
            b.maxConcurrentInventoryCalls = maxConcurrentInventoryCalls;
            b.reconcileInterval = reconcileInterval;
            b.changeJournal = changeJournal;
            b.settleAfter = settleAfter;
            b.reconcileCallTimeout = reconcileCallTimeout;
            b.reconcileParallelism = reconcileParallelism;
            b.idempotencyLease = idempotencyLease;
            b.port = port;
            b.bindAddress = bindAddress;
            b.filters.addAll(filters);
            b.extraRoutes = extraRoutes;
            b.kit = kit;
            b.serviceToken = serviceToken;
            b.allowedHosts.addAll(allowedHosts);
            b.healthDataSource = healthDataSource;
            b.instanceId = instanceId;
            b.heartbeatPeriod = heartbeatPeriod;
            return b;
        }

        /**
         * The standard filters and operator routes ({@code /health}, {@code /metrics}, the latency
         * light, the admin token, the gremlin and its admin route); the server adds its database check,
         * its order metrics and its idempotency filter to them. A kit with a default monitor and no
         * admin token or gremlin unless set. The server's {@link #timeout(Duration)} caps request
         * deadlines whatever the kit says.
         */
        public Builder kit(ServiceKit kit) {
            this.kit = Objects.requireNonNull(kit, "kit");
            return this;
        }

        /**
         * The pool size of the H2 database in the data directory; {@value OrderServer#DEFAULT_MAX_POOL_SIZE}
         * unless set. Not for a given {@link #dataSource(DataSource)}, which has its own pool.
         */
        public Builder maxPoolSize(int maxPoolSize) {
            this.maxPoolSize = maxPoolSize;
            return this;
        }

        /**
         * The token sent to inventory as {@code Authorization: Bearer <token>}: inventory's
         * reservation writes need it. Required with {@link #inventory(URI)}; an inventory that allows
         * unauthenticated writes ignores it.
         */
        public Builder serviceToken(String token) {
            this.serviceToken = Objects.requireNonNull(token, "token");
            return this;
        }

        /**
         * Names this server answers to besides the loopback names ({@code 127.0.0.1}, {@code
         * localhost}, {@code [::1]}) and its bind address: host names or IP literals, without port.
         * Requests with any other {@code Host} get 421 {@code host-not-allowed}.
         */
        public Builder allowedHosts(String... names) {
            for (String name : names) {
                allowedHosts.add(Objects.requireNonNull(name, "name"));
            }
            return this;
        }

        /**
         * Where the readiness check gets its database connection; by default a dedicated
         * one-connection pool next to the request pool ({@link DatabaseHealthCheck#dedicatedTo}). The
         * caller owns and closes it.
         */
        public Builder healthDataSource(DataSource dataSource) {
            this.healthDataSource = Objects.requireNonNull(dataSource, "dataSource");
            return this;
        }

        public Builder name(String name) {
            this.name = Objects.requireNonNull(name, "name");
            return this;
        }

        /** Where the server keeps its H2 database; or give a {@link #dataSource(DataSource)}. */
        public Builder dataDirectory(Path directory) {
            this.dataDirectory = Objects.requireNonNull(directory, "directory");
            return this;
        }

        /** A database the caller owns (for example PostgreSQL); or give a {@link #dataDirectory(Path)}. */
        public Builder dataSource(DataSource dataSource) {
            this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
            return this;
        }

        /** The inventory service's base URI, reached over HTTP; or give an {@link #inventory(InventoryClient)}. */
        public Builder inventory(URI uri) {
            this.inventoryUri = Objects.requireNonNull(uri, "uri");
            return this;
        }

        /** The inventory transport to use, for example an {@link InProcessInventoryClient}; the caller closes it. */
        public Builder inventory(InventoryClient client) {
            this.inventoryClient = Objects.requireNonNull(client, "client");
            return this;
        }

        /** Told about every HTTP call to inventory, for the latency monitor; by default the kit's monitor is. */
        public Builder inventoryCallListener(CallListener listener) {
            this.callListener = Objects.requireNonNull(listener, "listener");
            return this;
        }

        /**
         * The most a client waits for the answer to {@code POST /orders}, counted from its arrival; 2 s
         * by default. It bounds every wait of the request (the idempotency check, database connections,
         * locks and statements, the inventory call), and caps the deadline of every request to this
         * server.
         */
        public Builder timeout(Duration timeout) {
            this.timeout = Objects.requireNonNull(timeout, "timeout");
            return this;
        }

        /** How many requests may wait on inventory at once; past it, 503 at once. 256 by default. */
        public Builder maxConcurrentInventoryCalls(int max) {
            this.maxConcurrentInventoryCalls = max;
            return this;
        }

        /** How often the reconciler looks for PENDING orders; 500 ms by default. */
        public Builder reconcileInterval(Duration interval) {
            this.reconcileInterval = Objects.requireNonNull(interval, "interval");
            return this;
        }

        /** Journals every order and idempotency-record write, for continuous archiving; off unless set. */
        public Builder changeJournal(ChangeJournal journal) {
            this.changeJournal = Objects.requireNonNull(journal, "journal");
            return this;
        }

        /**
         * How old a PENDING order must be before the reconciler asks inventory about it; longer than
         * {@link #timeout(Duration)}. The timeout plus 1 s by default.
         */
        public Builder settleAfter(Duration settleAfter) {
            this.settleAfter = Objects.requireNonNull(settleAfter, "settleAfter");
            return this;
        }

        /**
         * The deadline of each inventory call the reconciler makes; 10 s by default. Make it longer
         * than inventory can take to answer, or orders stay PENDING while inventory is slow.
         */
        public Builder reconcileCallTimeout(Duration callTimeout) {
            this.reconcileCallTimeout = Objects.requireNonNull(callTimeout, "callTimeout");
            return this;
        }

        /**
         * How many PENDING orders the reconciler settles at once, each waiting on its own inventory
         * calls; {@value OrderReconciler#DEFAULT_PARALLELISM} by default.
         */
        public Builder reconcileParallelism(int parallelism) {
            this.reconcileParallelism = parallelism;
            return this;
        }

        /**
         * How long a {@code POST /orders} holds its idempotency key before a retry may take it over;
         * 60 s by default; longer than the {@link #timeout(Duration)}. A claim left by a crashed process
         * is freed sooner: at once when it restarts under the same {@linkplain #instanceId instance id},
         * and once its heartbeat is stale for the other instances ({@link #heartbeatPeriod}).
         */
        public Builder idempotencyLease(Duration lease) {
            this.idempotencyLease = Objects.requireNonNull(lease, "lease");
            return this;
        }

        /**
         * This instance's id among the order services sharing its database, the same across its
         * restarts. Its idempotency claims name it (with the epoch of the current start): a restart
         * under the same id frees at once the claims the crashed process left, instead of retries
         * getting 409 until their lease ends. Two live instances must never share an id. By default
         * {@code <name>@<host>:<port>} with the {@code HOSTNAME} environment variable (else the bind
         * address) and the configured port, which a restart on the same machine and port keeps; with
         * port 0 the port is not known in advance and the default is {@code <name>@<host>/pid-<pid>.<n>}
         * ({@code n} numbers such servers in the JVM), so only heartbeats free a crashed process's
         * claims.
         */
        public Builder instanceId(String instanceId) {
            this.instanceId = Objects.requireNonNull(instanceId, "instanceId");
            return this;
        }

        /**
         * How often this instance records that it is alive (default 1 s). The other instances take over
         * its idempotency claims once it has missed {@value IdempotencyConfig#MISSED_HEARTBEATS}
         * periods, long before the {@linkplain #idempotencyLease lease} ends. Give every instance on a
         * database the same period: each judges the others by its own.
         */
        public Builder heartbeatPeriod(Duration period) {
            this.heartbeatPeriod = Objects.requireNonNull(period, "period");
            return this;
        }

        String instanceId() {
            if (instanceId != null) {
                return instanceId;
            }
            String host = System.getenv("HOSTNAME");
            if (host == null || host.isBlank() || !host.matches("[\\x21-\\x7E]{1,200}")) {
                host = bindAddress.getHostAddress();
            }
            String who = name.replaceAll("[^\\x21-\\x7E]", "-");
            return port != 0
                    ? who + "@" + host + ":" + port
                    : who + "@" + host + "/pid-" + ProcessHandle.current().pid();
        }

        public Builder port(int port) {
            this.port = port;
            return this;
        }

        public Builder bindAddress(InetAddress address) {
            this.bindAddress = Objects.requireNonNull(address, "address");
            return this;
        }

        /**
         * Adds a filter inside the {@linkplain #kit kit's} admin token, outside its gremlin and the
         * idempotency filter; the first added runs outermost.
         */
        public Builder filter(Filter filter) {
            filters.add(Objects.requireNonNull(filter, "filter"));
            return this;
        }

        /** Adds routes beside the order ones, for example a dashboard. */
        public Builder extraRoutes(Consumer<JsonServer.Builder> installer) {
            Objects.requireNonNull(installer, "installer");
            return extraRoutes((server, running) -> installer.accept(server));
        }

        /** Adds routes beside the order ones that need the running server, for example to read its service. */
        public Builder extraRoutes(RouteInstaller installer) {
            Objects.requireNonNull(installer, "installer");
            RouteInstaller previous = extraRoutes;
            extraRoutes = (server, running) -> {
                previous.install(server, running);
                installer.install(server, running);
            };
            return this;
        }

        public OrderServer build() {
            if ((dataDirectory == null) == (dataSource == null)) {
                throw new IllegalStateException("exactly one of dataDirectory and dataSource must be set");
            }
            if ((inventoryUri == null) == (inventoryClient == null)) {
                throw new IllegalStateException("exactly one of an inventory URI and an inventory client must be set");
            }
            if (inventoryUri != null && serviceToken == null) {
                throw new IllegalStateException("set serviceToken(...): inventory at " + inventoryUri
                        + " refuses reservation writes without it");
            }
            if (serviceToken != null) {
                BearerTokenFilter.validToken("service", serviceToken);
            }
            HostAllowListFilter.allowing(allowedHosts);
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("port must be 0..65535, but was " + port);
            }
            if (dataSource != null && maxPoolSize != null) {
                throw new IllegalStateException(
                        "maxPoolSize applies only to a dataDirectory; the given dataSource has its own pool");
            }
            if (maxPoolSize != null && maxPoolSize < 1) {
                throw new IllegalArgumentException("maxPoolSize must be at least 1, but was " + maxPoolSize);
            }
            if (timeout.toMillis() < 1) {
                throw new IllegalArgumentException("timeout must be at least 1 ms, but was " + timeout);
            }
            if (settleAfter != null && settleAfter.compareTo(timeout) <= 0) {
                throw new IllegalArgumentException(
                        "settleAfter must be longer than the timeout " + timeout + ", but was " + settleAfter);
            }
            if (reconcileCallTimeout.toMillis() < 1) {
                throw new IllegalArgumentException(
                        "reconcileCallTimeout must be at least 1 ms, but was " + reconcileCallTimeout);
            }
            if (reconcileParallelism < 1) {
                throw new IllegalArgumentException(
                        "reconcileParallelism must be at least 1, but was " + reconcileParallelism);
            }
            // The idempotency settings are validated where they are defined, with the same messages.
            String id =
                    instanceId != null || port != 0 ? instanceId() : instanceId() + "." + UNPORTED.incrementAndGet();
            IdempotencyConfig.builder()
                    .instanceId(id)
                    .heartbeatPeriod(heartbeatPeriod)
                    .build();
            if (idempotencyLease.compareTo(timeout) <= 0) {
                // A request still running when its lease ends can be taken over by a retry.
                throw new IllegalArgumentException("idempotencyLease must be longer than the timeout " + timeout
                        + ", but was " + idempotencyLease);
            }
            return new OrderServer(this, id);
        }
    }
}
