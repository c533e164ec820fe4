package io.valerix.core.jdbc.internal;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalInt;
import javax.sql.DataSource;

/**
 * What core knows about HikariCP pools, usable without HikariCP on the class path.
 *
 * <p>HikariCP is an optional dependency of valerix-core: an application that brings its own
 * pool must not fail with {@code NoClassDefFoundError} in code that merely asks "is this a
 * Hikari pool?". Every Hikari type is touched only inside {@link Present}, which the JVM loads
 * only after the class was found.
 *
 * <p>Thread-safe (stateless).
 */
public final class HikariPools {

    private static final boolean PRESENT = isOnClassPath();

    private HikariPools() {}

    /** A pool this code created, and how to close it. */
    public record OwnedPool(DataSource dataSource, AutoCloseable owner) {}

    /** How to open a connection of one's own to a pool's database. */
    public record ConnectionSettings(String jdbcUrl, String username, String password) {}

    /** The URL and credentials of {@code dataSource} if it is a Hikari pool configured by URL; empty otherwise. */
    public static Optional<ConnectionSettings> connectionSettings(DataSource dataSource) {
        return PRESENT ? Present.connectionSettings(dataSource) : Optional.empty();
    }

    /** The maximum pool size of {@code dataSource} if it is a Hikari pool; empty otherwise. */
    public static OptionalInt maximumPoolSize(DataSource dataSource) {
        return PRESENT ? Present.maximumPoolSize(dataSource) : OptionalInt.empty();
    }

    /**
     * A second Hikari pool of one connection to the database of {@code requestPool} (same URL and
     * credentials, named {@code <pool>-health}) when it is a Hikari pool; empty otherwise.
     */
    public static Optional<OwnedPool> healthPoolFor(DataSource requestPool, Duration checkTimeout) {
        return PRESENT ? Present.healthPoolFor(requestPool, checkTimeout) : Optional.empty();
    }

    private static boolean isOnClassPath() {
        try {
            Class.forName("com.zaxxer.hikari.HikariDataSource", false, HikariPools.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }

    /** Loaded only when HikariCP is present. */
    private static final class Present {

        static OptionalInt maximumPoolSize(DataSource dataSource) {
            return dataSource instanceof HikariDataSource pool
                    ? OptionalInt.of(pool.getMaximumPoolSize())
                    : OptionalInt.empty();
        }

        static Optional<ConnectionSettings> connectionSettings(DataSource dataSource) {
            return dataSource instanceof HikariDataSource pool && pool.getJdbcUrl() != null
                    ? Optional.of(new ConnectionSettings(pool.getJdbcUrl(), pool.getUsername(), pool.getPassword()))
                    : Optional.empty();
        }

        static Optional<OwnedPool> healthPoolFor(DataSource requestPool, Duration checkTimeout) {
            if (!(requestPool instanceof HikariDataSource hikari)) {
                return Optional.empty();
            }
            HikariConfig config = new HikariConfig();
            hikari.copyStateTo(config);
            config.setPoolName((hikari.getPoolName() == null ? "pool" : hikari.getPoolName()) + "-health");
            config.setMaximumPoolSize(1);
            config.setMinimumIdle(1);
            config.setConnectionTimeout(checkTimeout.toMillis());
            config.setValidationTimeout(Math.min(checkTimeout.toMillis(), config.getValidationTimeout()));
            // Start even while the database is down: that is what the check is there to report.
            config.setInitializationFailTimeout(-1);
            config.setMetricRegistry(null);
            config.setMetricsTrackerFactory(null);
            config.setHealthCheckRegistry(null);
            config.setRegisterMbeans(false);
            HikariDataSource health = new HikariDataSource(config);
            return Optional.of(new OwnedPool(health, health));
        }
    }
}
