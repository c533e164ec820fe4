package io.valerix.core.health;

import io.valerix.core.jdbc.internal.HikariPools;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Objects;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A readiness check of a database that never borrows from the service's request pool: it keeps
 * its own single connection and asks {@link Connection#isValid(int)}.
 *
 * <p>Why a separate connection: when requests hold every pooled connection, a check that waits
 * for one says DOWN about a database that is fine, and adds one more waiter to the queue it is
 * measuring. The dedicated connection is one more session on the database, which is cheap.
 *
 * <p>Where it comes from ({@link #dedicatedTo(DataSource)}):
 *
 * <ul>
 *   <li>the request pool is a HikariCP {@code HikariDataSource}: a second Hikari pool of one connection
 *       with the same URL and credentials (named {@code <pool>-health}), which reconnects by
 *       itself after the database comes back;
 *   <li>any other {@link DataSource}: used as it is, which is right for a plain, unpooled data
 *       source (every {@code getConnection()} opens a fresh one). For another pool
 *       implementation, pass a separate small data source to {@link #using(DataSource)}.
 * </ul>
 *
 * <p>Thread-safe. Closing it closes the pool it created (never the given data source).
 */
public final class DatabaseHealthCheck implements HealthCheck, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(DatabaseHealthCheck.class);

    /** How long one check may take: connecting plus {@code isValid}. */
    public static final Duration CHECK_TIMEOUT = Duration.ofSeconds(1);

    private final DataSource dataSource;
    private final AutoCloseable owned;

    private DatabaseHealthCheck(DataSource dataSource, AutoCloseable owned) {
        this.dataSource = dataSource;
        this.owned = owned;
    }

    /** A check on its own connection to the database behind {@code requestPool}; see the class comment. */
    public static DatabaseHealthCheck dedicatedTo(DataSource requestPool) {
        Objects.requireNonNull(requestPool, "requestPool");
        // HikariCP is optional: without it on the class path every pool is "any other DataSource".
        return HikariPools.healthPoolFor(requestPool, CHECK_TIMEOUT)
                .map(pool -> new DatabaseHealthCheck(pool.dataSource(), pool.owner()))
                .orElseGet(() -> new DatabaseHealthCheck(requestPool, null));
    }

    /** A check on connections from {@code healthDataSource}, which the caller owns and closes. */
    public static DatabaseHealthCheck using(DataSource healthDataSource) {
        return new DatabaseHealthCheck(Objects.requireNonNull(healthDataSource, "healthDataSource"), null);
    }

    @Override
    public Result check() {
        try (Connection connection = dataSource.getConnection()) {
            int seconds = (int) Math.max(1, CHECK_TIMEOUT.toSeconds());
            return connection.isValid(seconds)
                    ? Result.up()
                    : Result.down("the database did not answer a validity check within " + seconds + " s");
        } catch (SQLException e) {
            return Result.down("no connection to the database: " + e.getMessage());
        }
    }

    @Override
    public void close() {
        if (owned != null) {
            try {
                owned.close();
            } catch (Exception e) {
                log.warn("Closing the health check's own connection pool failed", e);
            }
        }
    }
}
