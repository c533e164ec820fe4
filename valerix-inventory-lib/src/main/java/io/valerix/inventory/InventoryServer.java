package io.valerix.inventory;

import com.zaxxer.hikari.HikariDataSource;
import io.valerix.core.health.DatabaseHealthCheck;
import io.valerix.core.health.Readiness;
import io.valerix.core.http.BearerTokenFilter;
import io.valerix.core.http.Filter;
import io.valerix.core.http.HostAllowListFilter;
import io.valerix.core.http.JsonServer;
import io.valerix.core.jdbc.H2Database;
import io.valerix.core.journal.ChangeJournal;
import io.valerix.core.service.ServiceKit;
import java.net.InetAddress;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.Consumer;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The runnable inventory service: an {@link InventoryService} on a database, served over HTTP by
 * {@link InventoryHttpApi} on a {@link JsonServer}.
 *
 * <p>The database is an embedded H2 file database in {@link Builder#dataDirectory(Path)}, which
 * the server opens and closes, or a {@link Builder#dataSource(DataSource)} the caller owns and
 * closes. Binds loopback unless told otherwise.
 *
 * <p>Security: every route answers only requests whose {@code Host} is loopback or an {@linkplain
 * Builder#allowedHosts allowed name} ({@link HostAllowListFilter}); the reservation writes need
 * the {@linkplain Builder#serviceToken service token} ({@link InventoryHttpApi#writeGuard}) unless
 * {@linkplain Builder#allowUnauthenticatedWrites() explicitly opened}.
 *
 * <p>Health: {@code GET /health/live} and {@code GET /health/ready} ({@link Readiness}), whose
 * database check runs on a dedicated connection ({@link DatabaseHealthCheck}), never the pool.
 *
 * <p>Lifecycle: {@link #start()} opens the database, migrates and seeds it, and binds; {@link
 * #close()} stops serving (letting in-flight requests finish) and then closes what it opened.
 * Thread-safe.
 */
public final class InventoryServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(InventoryServer.class);

    /** The connection pool size of the H2 database the server opens, unless set. */
    public static final int DEFAULT_MAX_POOL_SIZE = 10;
    /** The H2 database's name inside the data directory. */
    public static final String DATABASE_NAME = "inventory";

    /**
     * Adds routes to the server being built, given the server they will run in: its {@link
     * #service()} and {@link #readiness()} are there when a request arrives (not yet while routes
     * are installed).
     */
    @FunctionalInterface
    public interface RouteInstaller {
        void install(JsonServer.Builder routes, InventoryServer server);
    }

    private final String name;
    private final Path dataDirectory;
    private final DataSource givenDataSource;
    private final int maxPoolSize;
    private final InventoryConfig config;
    private final int port;
    private final InetAddress bindAddress;
    private final List<Filter> filters;
    private final RouteInstaller extraRoutes;
    private final ServiceKit kit;
    private final String serviceToken;
    private final Set<String> allowedHosts;
    private final DataSource healthDataSource;
    private final Object lifecycle = new Object();
    private HikariDataSource ownedDataSource;
    private DatabaseHealthCheck databaseCheck;
    private Readiness readiness;
    private InventoryService service;
    private JsonServer http;
    private boolean started;
    private boolean closed;

    private InventoryServer(Builder builder, InventoryConfig config) {
        this.name = builder.name;
        this.dataDirectory = builder.dataDirectory;
        this.givenDataSource = builder.dataSource;
        this.maxPoolSize = builder.maxPoolSize == null ? DEFAULT_MAX_POOL_SIZE : builder.maxPoolSize;
        this.config = config;
        this.port = builder.port;
        this.bindAddress = builder.bindAddress;
        this.filters = List.copyOf(builder.filters);
        this.extraRoutes = builder.extraRoutes;
        this.kit = builder.kit;
        this.serviceToken = builder.serviceToken;
        this.allowedHosts = Set.copyOf(builder.allowedHosts);
        this.healthDataSource = builder.healthDataSource;
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Opens the database, brings its schema up to date, seeds missing SKUs, and starts serving.
     *
     * @throws java.io.UncheckedIOException if the address cannot be bound
     * @throws InventoryStoreException if the database cannot be opened or set up
     * @throws IllegalStateException if already started or closed
     */
    public InventoryServer start() {
        synchronized (lifecycle) {
            if (started || closed) {
                throw new IllegalStateException("inventory server '" + name + "' was already started");
            }
            started = true;
            try {
                DataSource dataSource = givenDataSource;
                if (dataSource == null) {
                    ownedDataSource = H2Database.open(dataDirectory, DATABASE_NAME, maxPoolSize);
                    dataSource = ownedDataSource;
                }
                service = InventoryService.create(dataSource, config);
                databaseCheck = healthDataSource != null
                        ? DatabaseHealthCheck.using(healthDataSource)
                        : DatabaseHealthCheck.dedicatedTo(dataSource);
                readiness = Readiness.builder()
                        .check("database", databaseCheck)
                        .build()
                        .start();
                JsonServer.Builder server =
                        JsonServer.builder().name(name).bindAddress(bindAddress).port(port);
                // Outermost: a foreign Host or a write without the service token is refused before the
                // gremlin, the latency light or a route sees it.
                server.filter(HostAllowListFilter.forServer(allowedHosts, bindAddress));
                if (serviceToken != null) {
                    server.filter(InventoryHttpApi.writeGuard(serviceToken));
                } else {
                    log.warn(
                            "{}: reservation writes are NOT authenticated (allowUnauthenticatedWrites): anything that reaches"
                                    + " {} can take and release stock",
                            name,
                            bindAddress.getHostAddress());
                }
                // Then the kit: latency light, admin token, the builder's filters, gremlin.
                ServiceKit.Builder standard = (kit != null
                                ? kit
                                : ServiceKit.builder().build())
                        .toBuilder()
                                // The readiness verdict, read from memory: /health never waits on the request pool.
                                .healthCheck("database", () -> readiness().result("database"));
                filters.forEach(standard::filter);
                standard.build().installOn(server);
                readiness.install(server);
                extraRoutes.install(server, this);
                http = InventoryHttpApi.install(server, service).build().start();
            } catch (RuntimeException | Error e) {
                closeOwned();
                throw e;
            }
            log.info(
                    "{} serving {} from {}",
                    name,
                    http.uri(),
                    dataDirectory != null ? dataDirectory : "a given data source");
            return this;
        }
    }

    /** The base URI, for example {@code http://127.0.0.1:8081}. */
    public URI uri() {
        return running().uri();
    }

    /** The bound port; with port 0 configured, the ephemeral one the system chose. */
    public int port() {
        return running().port();
    }

    /** The service behind the HTTP API, for in-process callers on the same database. */
    public InventoryService service() {
        synchronized (lifecycle) {
            running();
            return service;
        }
    }

    /**
     * The readiness behind {@code /health/ready}; its {@code database} verdict is read from memory,
     * so {@code /health} can show it without touching the database.
     */
    public Readiness readiness() {
        synchronized (lifecycle) {
            running();
            return readiness;
        }
    }

    /** Stops serving, then closes the database if the server opened it. Idempotent. */
    @Override
    public void close() {
        synchronized (lifecycle) {
            if (closed) {
                return;
            }
            closed = true;
            closeOwned();
        }
    }

    private void closeOwned() {
        // The HTTP server first: in-flight requests drain while the database is still there.
        if (http != null) {
            http.close();
        }
        if (readiness != null) {
            readiness.close();
        }
        if (databaseCheck != null) {
            databaseCheck.close();
        }
        if (ownedDataSource != null) {
            ownedDataSource.close();
        }
    }

    private JsonServer running() {
        synchronized (lifecycle) {
            if (http == null || closed) {
                throw new IllegalStateException("inventory server '" + name + "' is not running");
            }
            return http;
        }
    }

    /**
     * Builds an {@link InventoryServer}; not thread-safe; validated in {@link #build()}. Exactly one
     * of {@link #dataDirectory(Path)} and {@link #dataSource(DataSource)} must be set.
     */
    public static final class Builder {
        private final InventoryConfig.Builder inventory = InventoryConfig.builder();
        private String name = "inventory";
        private Path dataDirectory;
        private DataSource dataSource;
        private Integer maxPoolSize;
        private int port = 0;
        private InetAddress bindAddress = InetAddress.getLoopbackAddress();
        private final List<Filter> filters = new ArrayList<>();
        private RouteInstaller extraRoutes = (server, running) -> {};
        // Made at start when not given, so that each server gets a monitor of its own.
        private ServiceKit kit;
        private String serviceToken;
        private boolean unauthenticatedWrites;
        private final Set<String> allowedHosts = new LinkedHashSet<>();
        private DataSource healthDataSource;

        private Builder() {}

        /**
         * The token the order service must send as {@code Authorization: Bearer <token>} to write
         * reservations ({@code PUT} and {@code DELETE /reservations/{orderId}}); at least {@value
         * io.valerix.core.http.BearerTokenFilter#MIN_TOKEN_LENGTH} characters. Separate from the admin
         * token. Required unless {@link #allowUnauthenticatedWrites()}.
         */
        public Builder serviceToken(String token) {
            this.serviceToken = Objects.requireNonNull(token, "token");
            return this;
        }

        /**
         * Lets anyone who reaches the port write reservations, without a service token. Only for a
         * process that nothing else on the host can reach; the server logs a warning at start.
         */
        public Builder allowUnauthenticatedWrites() {
            this.unauthenticatedWrites = true;
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
         * Where the readiness check gets its connection; by default a dedicated one-connection pool
         * next to the request pool (see {@link DatabaseHealthCheck#dedicatedTo}). Give one when the
         * data source is a pool other than HikariCP. The caller owns and closes it.
         */
        public Builder healthDataSource(DataSource dataSource) {
            this.healthDataSource = Objects.requireNonNull(dataSource, "dataSource");
            return this;
        }

        /** The name in thread names and logs; {@code inventory} unless set. */
        public Builder name(String name) {
            this.name = Objects.requireNonNull(name, "name");
            return this;
        }

        /** Keeps the data in an embedded H2 database in {@code directory} (created if missing); the server closes it. */
        public Builder dataDirectory(Path directory) {
            this.dataDirectory = Objects.requireNonNull(directory, "directory");
            return this;
        }

        /** Keeps the data in {@code dataSource}, which the caller owns: the server never closes it. */
        public Builder dataSource(DataSource dataSource) {
            this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
            return this;
        }

        /** The pool size of the H2 database in the data directory; {@value InventoryServer#DEFAULT_MAX_POOL_SIZE} unless set. */
        public Builder maxPoolSize(int maxPoolSize) {
            this.maxPoolSize = maxPoolSize;
            return this;
        }

        /** Seeds {@code sku} with {@code quantity} unless it exists; see {@link InventoryConfig.Builder#stock(String, int)}. */
        public Builder stock(String sku, int quantity) {
            inventory.stock(sku, quantity);
            return this;
        }

        /** Seeds {@code sku=qty} pairs such as {@code widget=100,gadget=5}; see {@link InventoryConfig.Builder#stock(String)}. */
        public Builder stock(String pairs) {
            inventory.stock(pairs);
            return this;
        }

        /** The largest quantity one reservation may take; {@value InventoryConfig#DEFAULT_MAX_QUANTITY} unless set. */
        public Builder maxQuantity(int maxQuantity) {
            inventory.maxQuantity(maxQuantity);
            return this;
        }

        /** Journals every write; see {@link InventoryConfig.Builder#changeJournal(ChangeJournal)}. Off unless set. */
        public Builder changeJournal(ChangeJournal journal) {
            inventory.changeJournal(journal);
            return this;
        }

        /** The port; 0 (the default) picks a free ephemeral port, readable from {@link InventoryServer#port()}. */
        public Builder port(int port) {
            this.port = port;
            return this;
        }

        /** The address to bind; loopback unless set, so nothing is exposed by accident. */
        public Builder bindAddress(InetAddress address) {
            this.bindAddress = Objects.requireNonNull(address, "address");
            return this;
        }

        /**
         * The standard filters and operator routes ({@code /health}, {@code /metrics}, the latency
         * light, the admin token, the gremlin and its admin route); the server adds its database check
         * to them. A kit with a default monitor and no admin token or gremlin unless set.
         */
        public Builder kit(ServiceKit kit) {
            this.kit = Objects.requireNonNull(kit, "kit");
            return this;
        }

        /**
         * Adds a filter around the inventory routes, inside the {@linkplain #kit kit's} admin token and
         * outside its gremlin; the first added runs outermost.
         */
        public Builder filter(Filter filter) {
            filters.add(Objects.requireNonNull(filter, "filter"));
            return this;
        }

        /** Adds routes beside the inventory ones, for example backup admin routes. */
        public Builder extraRoutes(Consumer<JsonServer.Builder> installer) {
            Objects.requireNonNull(installer, "installer");
            return extraRoutes((server, running) -> installer.accept(server));
        }

        /** Adds routes beside the inventory ones that need the running server, for example to read its service. */
        public Builder extraRoutes(RouteInstaller installer) {
            Objects.requireNonNull(installer, "installer");
            RouteInstaller previous = extraRoutes;
            extraRoutes = (server, running) -> {
                previous.install(server, running);
                installer.install(server, running);
            };
            return this;
        }

        /**
         * A server with these settings, not yet started.
         *
         * @throws IllegalArgumentException for an out-of-range setting or bad stock
         * @throws IllegalStateException if neither or both of a data directory and a data source are
         *     set, a pool size is set for a given data source, or neither or both of a service token
         *     and {@link #allowUnauthenticatedWrites()} are set
         */
        public InventoryServer build() {
            if ((serviceToken == null) != unauthenticatedWrites) {
                // Neither: fail instead of guessing; both: the caller contradicts itself.
                throw new IllegalStateException(
                        serviceToken == null
                                ? "set serviceToken(...) (the order service sends it to write reservations), or allowUnauthenticatedWrites() to serve writes to anyone"
                                : "serviceToken and allowUnauthenticatedWrites() exclude each other");
            }
            if (serviceToken != null) {
                BearerTokenFilter.validToken("service", serviceToken);
            }
            HostAllowListFilter.allowing(allowedHosts);
            if ((dataDirectory == null) == (dataSource == null)) {
                throw new IllegalStateException("exactly one of dataDirectory and dataSource must be set, but "
                        + (dataDirectory == null ? "neither was" : "both were (dataDirectory=" + dataDirectory + ")"));
            }
            if (dataSource != null && maxPoolSize != null) {
                throw new IllegalStateException(
                        "maxPoolSize applies only to a dataDirectory; the given dataSource has its own pool");
            }
            if (maxPoolSize != null && maxPoolSize < 1) {
                throw new IllegalArgumentException("maxPoolSize must be at least 1, but was " + maxPoolSize);
            }
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("port must be 0..65535, but was " + port);
            }
            return new InventoryServer(this, inventory.build());
        }
    }
}
