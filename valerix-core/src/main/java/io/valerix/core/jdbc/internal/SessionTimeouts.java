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
 * Limits a transaction's statements and lock waits to what its deadline has left, in
 * milliseconds, and runs it: on H2 with the session's {@code QUERY_TIMEOUT} and {@code
 * LOCK_TIMEOUT}, on PostgreSQL with the driver's per-statement timeout ({@link
 * PgStatementDeadlines}).
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
     * Runs {@code work} on {@code connection} so that its waits end by {@code deadline}: in one
     * transaction that it commits or rolls back ({@code atomic}), or in auto-commit mode, each
     * statement its own transaction (no BEGIN, no COMMIT: for reads). Leaves the connection as it
     * found it (auto-commit, no timeouts) for the pool's next user.
     */
    public static <T> T run(
            SessionTimeouts timeouts,
            Connection connection,
            Deadline deadline,
            boolean atomic,
            DeadlineBoundDataSource.Work<T> work)
            throws SQLException {
        Engine engine = timeouts.engine(connection);
        long millis = remainingMillis(deadline);
        if (engine == Engine.H2) {
            // Session settings on H2, set while no transaction is open so they cannot end one.
            execute(connection, "SET QUERY_TIMEOUT " + millis + "; SET LOCK_TIMEOUT " + millis);
        }
        Connection bounded =
                engine == Engine.POSTGRESQL ? PgStatementDeadlines.bound(connection, deadline) : connection;
        boolean autoCommit = connection.getAutoCommit();
        try {
            if (!atomic) {
                connection.setAutoCommit(true);
                return work.run(bounded);
            }
            connection.setAutoCommit(false);
            T result;
            try {
                result = work.run(bounded);
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

    /** What {@code deadline} has left in whole milliseconds, rounded up; throws if nothing is left. */
    static long remainingMillis(Deadline deadline) throws SQLTimeoutException {
        long nanos = deadline.remainingNanos();
        if (nanos <= 0) {
            throw new SQLTimeoutException(
                    "the deadline passed before the statement could begin (budget "
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
