package io.valerix.core.jdbc.internal;

import io.valerix.core.deadline.Deadline;
import io.valerix.core.jdbc.DeadlineBoundDataSource;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLTimeoutException;
import java.sql.Statement;
import java.util.concurrent.TimeUnit;

/**
 * Limits a transaction's statements and lock waits to what its deadline has left, in the
 * engine's own milliseconds, and runs it.
 *
 * <p>Thread-safe: the engine is detected once, by whichever transaction comes first; a race only
 * detects it twice.
 */
public final class SessionTimeouts {

    private enum Engine {
        POSTGRESQL,
        H2,
        OTHER
    }

    private volatile Engine engine;
    /** H2's lock timeout before we changed it, restored after each transaction. */
    private volatile long h2DefaultLockTimeoutMillis = -1;

    /**
     * Runs {@code work} in one transaction on {@code connection} whose waits end by {@code
     * deadline}; commits or rolls back, and leaves the connection as it found it (auto-commit, no
     * timeouts) for the pool's next user.
     */
    public static <T> T run(
            SessionTimeouts timeouts, Connection connection, Deadline deadline, DeadlineBoundDataSource.Work<T> work)
            throws SQLException {
        Engine engine = timeouts.engine(connection);
        long millis = remainingMillis(deadline);
        if (engine == Engine.H2) {
            // Session settings on H2, set while no transaction is open so they cannot end one.
            execute(connection, "SET QUERY_TIMEOUT " + millis + "; SET LOCK_TIMEOUT " + millis);
        }
        boolean autoCommit = connection.getAutoCommit();
        connection.setAutoCommit(false);
        try {
            T result;
            try {
                if (engine == Engine.POSTGRESQL) {
                    // LOCAL: ends with the transaction. It covers lock waits too.
                    execute(connection, "SET LOCAL statement_timeout = " + millis);
                }
                result = work.run(connection);
                connection.commit();
            } catch (SQLException | RuntimeException | Error failure) {
                try {
                    connection.rollback();
                } catch (SQLException rollbackFailed) {
                    failure.addSuppressed(rollbackFailed);
                }
                throw failure;
            }
            return result;
        } finally {
            connection.setAutoCommit(autoCommit);
            if (engine == Engine.H2) {
                execute(connection, "SET QUERY_TIMEOUT 0; SET LOCK_TIMEOUT " + timeouts.h2DefaultLockTimeoutMillis);
            }
        }
    }

    private static long remainingMillis(Deadline deadline) throws SQLTimeoutException {
        long nanos = deadline.remainingNanos();
        if (nanos <= 0) {
            throw new SQLTimeoutException(
                    "the deadline passed before the transaction began (budget "
                            + deadline.budget().toMillis() + " ms)",
                    "57014");
        }
        // Rounded up: 0 would mean "no timeout" to both engines.
        return Math.max(1, TimeUnit.NANOSECONDS.toMillis(nanos + 999_999));
    }

    private Engine engine(Connection connection) throws SQLException {
        Engine known = engine;
        if (known != null) {
            return known;
        }
        String product = connection.getMetaData().getDatabaseProductName();
        Engine detected = switch (product) {
            case "PostgreSQL" -> Engine.POSTGRESQL;
            case "H2" -> Engine.H2;
            default -> Engine.OTHER;
        };
        if (detected == Engine.H2) {
            try (Statement statement = connection.createStatement();
                    ResultSet row = statement.executeQuery("SELECT LOCK_TIMEOUT()")) {
                row.next();
                h2DefaultLockTimeoutMillis = row.getLong(1);
            }
        }
        engine = detected;
        return detected;
    }

    private static void execute(Connection connection, String sql) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }
}
