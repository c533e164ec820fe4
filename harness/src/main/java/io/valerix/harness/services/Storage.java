package io.valerix.harness.services;

import com.zaxxer.hikari.HikariDataSource;
import io.valerix.core.jdbc.H2Database;
import io.valerix.core.jdbc.PostgresBinaries;
import io.valerix.core.jdbc.PostgresCluster;
import io.valerix.core.jdbc.PostgresDatabase;
import io.valerix.inventory.InventoryServer;
import io.valerix.order.OrderServer;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;

/**
 * Where the two services keep their data: embedded H2 files (the default), a private PostgreSQL
 * cluster under the data directory that Valerix starts and stops, or databases on an existing
 * PostgreSQL server. Immutable.
 *
 * <p>Credentials for an existing server come from the environment, never the command line (where
 * other users could read them): {@value #ORDER_USER_ENV} / {@value #ORDER_PASSWORD_ENV} and
 * {@value #INVENTORY_USER_ENV} / {@value #INVENTORY_PASSWORD_ENV}.
 */
public final class Storage {

    /** The engine the databases run on. */
    public enum Engine {
        H2,
        POSTGRES
    }

    public static final String ORDER_USER_ENV = "VALERIX_ORDER_DB_USER";
    public static final String ORDER_PASSWORD_ENV = "VALERIX_ORDER_DB_PASSWORD";
    public static final String INVENTORY_USER_ENV = "VALERIX_INVENTORY_DB_USER";
    public static final String INVENTORY_PASSWORD_ENV = "VALERIX_INVENTORY_DB_PASSWORD";
    /** The private cluster's directory under the data directory. */
    public static final String CLUSTER_DIRECTORY = "postgres";

    private static final int ORDER_POOL = 16;
    /**
     * Pool size of each service on PostgreSQL. A PostgreSQL commit waits for its WAL flush (fsync),
     * during which its connection does nothing; more connections committing at once share one flush
     * (group commit), so the pools are larger than H2's, whose commits end in the OS cache.
     */
    private static final int POSTGRES_POOL = 32;

    private final Engine engine;
    private final String orderUrl;
    private final String inventoryUrl;
    private final Map<String, String> environment;

    private Storage(Engine engine, String orderUrl, String inventoryUrl, Map<String, String> environment) {
        this.engine = engine;
        this.orderUrl = orderUrl;
        this.inventoryUrl = inventoryUrl;
        this.environment = environment;
    }

    /** H2 files under the data directory. */
    public static Storage h2() {
        return new Storage(Engine.H2, null, null, Map.of());
    }

    /** A private PostgreSQL cluster under {@code <dataDir>/postgres}, run with the machine's binaries. */
    public static Storage privatePostgres() {
        return new Storage(Engine.POSTGRES, null, null, Map.of());
    }

    /**
     * Databases on an existing PostgreSQL server, with credentials from {@code environment}.
     *
     * @throws IllegalArgumentException if a URL is not {@code jdbc:postgresql://…}
     */
    public static Storage existing(String orderUrl, String inventoryUrl, Map<String, String> environment) {
        requirePostgresUrl("order", orderUrl);
        requirePostgresUrl("inventory", inventoryUrl);
        return new Storage(
                Engine.POSTGRES,
                orderUrl,
                inventoryUrl,
                Map.copyOf(Objects.requireNonNull(environment, "environment")));
    }

    public Engine engine() {
        return engine;
    }

    /** The order database's JDBC URL on an existing server, or null. */
    public String orderUrl() {
        return orderUrl;
    }

    /** The inventory database's JDBC URL on an existing server, or null. */
    public String inventoryUrl() {
        return inventoryUrl;
    }

    /**
     * The credential variables for an existing server ({@value #ORDER_USER_ENV} and the rest) that
     * were set, to hand to a service in a child process through its environment; empty otherwise.
     */
    public Map<String, String> credentialVariables() {
        Map<String, String> variables = new java.util.LinkedHashMap<>();
        for (String name :
                java.util.List.of(ORDER_USER_ENV, ORDER_PASSWORD_ENV, INVENTORY_USER_ENV, INVENTORY_PASSWORD_ENV)) {
            if (environment.get(name) != null) {
                variables.put(name, environment.get(name));
            }
        }
        return variables;
    }

    /** True for databases on a server Valerix does not run. */
    public boolean isExistingServer() {
        return orderUrl != null;
    }

    /**
     * Opens both databases (starting the private cluster first, if that is the choice).
     *
     * @throws IllegalStateException for a private cluster without PostgreSQL binaries, with a
     *     message that says where they were looked for and how to install them
     */
    public ServiceDatabases open(Path dataDir) {
        Objects.requireNonNull(dataDir, "dataDir");
        if (engine == Engine.H2) {
            HikariDataSource inventory = H2Database.open(
                    dataDir.resolve(InventoryServer.DATABASE_NAME),
                    InventoryServer.DATABASE_NAME,
                    InventoryServer.DEFAULT_MAX_POOL_SIZE);
            try {
                return new ServiceDatabases(
                        Engine.H2,
                        H2Database.open(
                                dataDir.resolve(OrderServer.DATABASE_NAME), OrderServer.DATABASE_NAME, ORDER_POOL),
                        inventory,
                        null);
            } catch (RuntimeException e) {
                inventory.close();
                throw e;
            }
        }
        if (isExistingServer()) {
            HikariDataSource inventory = PostgresDatabase.open(
                    inventoryUrl,
                    environment.get(INVENTORY_USER_ENV),
                    environment.get(INVENTORY_PASSWORD_ENV),
                    POSTGRES_POOL);
            try {
                return new ServiceDatabases(
                        Engine.POSTGRES,
                        PostgresDatabase.open(
                                orderUrl,
                                environment.get(ORDER_USER_ENV),
                                environment.get(ORDER_PASSWORD_ENV),
                                POSTGRES_POOL),
                        inventory,
                        null);
            } catch (RuntimeException e) {
                inventory.close();
                throw e;
            }
        }
        PostgresBinaries binaries = PostgresBinaries.require();
        // On Ctrl-C, `valerix up` drains its services and closes the cluster itself; the cluster's own
        // hook stops it only if that has not happened within the grace (e.g. `valerix chaos` killed).
        PostgresCluster cluster = PostgresCluster.builder(dataDir.resolve(CLUSTER_DIRECTORY))
                .binaries(binaries)
                .shutdownGrace(java.time.Duration.ofSeconds(10))
                .start();
        HikariDataSource inventory = null;
        try {
            cluster.createDatabase(InventoryServer.DATABASE_NAME);
            cluster.createDatabase(OrderServer.DATABASE_NAME);
            inventory = cluster.dataSource(InventoryServer.DATABASE_NAME, POSTGRES_POOL);
            return new ServiceDatabases(
                    Engine.POSTGRES, cluster.dataSource(OrderServer.DATABASE_NAME, POSTGRES_POOL), inventory, cluster);
        } catch (RuntimeException e) {
            if (inventory != null) {
                inventory.close();
            }
            cluster.close();
            throw e;
        }
    }

    private static void requirePostgresUrl(String which, String url) {
        Objects.requireNonNull(url, which + " URL");
        if (!url.startsWith("jdbc:postgresql://")) {
            throw new IllegalArgumentException(
                    "the " + which + " database URL must start with jdbc:postgresql://, but was '" + url + "'");
        }
    }

    /** For the start-up banner; never includes credentials. */
    @Override
    public String toString() {
        if (engine == Engine.H2) {
            return "H2 files";
        }
        return isExistingServer()
                ? "PostgreSQL: order " + orderUrl + ", inventory " + inventoryUrl
                : "PostgreSQL (private cluster under the data directory)";
    }
}
