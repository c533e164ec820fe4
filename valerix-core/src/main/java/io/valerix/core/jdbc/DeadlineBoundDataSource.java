package io.valerix.core.jdbc;

import io.valerix.core.deadline.Deadline;
import io.valerix.core.jdbc.internal.HikariPools;
import io.valerix.core.jdbc.internal.SessionTimeouts;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLTimeoutException;
import java.util.Objects;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.sql.DataSource;

/**
 * Runs transactions on a {@link DataSource} so that no wait in them outlasts a {@link Deadline}:
 * waiting for a connection, waiting for a row lock, running a statement.
 *
 * <ul>
 *   <li><b>Connection.</b> A gate of {@code maxConnections} permits sits in front of the pool and
 *       is entered with {@code tryAcquire(remaining)}; with the gate no larger than the pool, the
 *       pool itself never makes anyone wait, so its fixed connection timeout never applies.
 *   <li><b>Statements and locks.</b> On PostgreSQL each statement gets, as it starts, the time the
 *       deadline has left, as the driver's millisecond query timeout: the driver cancels it when
 *       that runs out, lock waits included, at no round trip's cost. On H2 a transaction's
 *       statements get the time the deadline had left when it began, as {@code SET QUERY_TIMEOUT}
 *       and {@code SET LOCK_TIMEOUT} in milliseconds (reset when it ends). JDBC's own {@code
 *       setQueryTimeout} counts whole seconds, far too coarse for a 2 s request. Other engines get
 *       the gate only.
 * </ul>
 *
 * <p>Every user of one pool should go through one instance, or the gate no longer guarantees
 * that the pool has a connection free. A timeout of any kind surfaces as an {@link SQLException}
 * for which {@link #isTimeout(SQLException)} is true; the transaction was rolled back.
 *
 * <p>Thread-safe. It does not own the data source: whoever created that closes it.
 */
public final class DeadlineBoundDataSource {

    /** Connections through the gate when the pool's size cannot be read. */
    public static final int DEFAULT_MAX_CONNECTIONS = 10;

    /** SQLSTATE of the gate giving up: the same class as a cancelled statement. */
    static final String NO_CONNECTION_IN_TIME = "57014";

    private final DataSource dataSource;
    private final int maxConnections;
    private final Semaphore gate;
    private final SessionTimeouts timeouts = new SessionTimeouts();

    private DeadlineBoundDataSource(DataSource dataSource, int maxConnections) {
        this.dataSource = dataSource;
        this.maxConnections = maxConnections;
        this.gate = new Semaphore(maxConnections);
    }

    /**
     * Bounds {@code dataSource} with a gate as large as its pool: a HikariCP pool's
     * maximum pool size, else {@value #DEFAULT_MAX_CONNECTIONS}.
     */
    public static DeadlineBoundDataSource of(DataSource dataSource) {
        Objects.requireNonNull(dataSource, "dataSource");
        int size = HikariPools.maximumPoolSize(dataSource).orElse(DEFAULT_MAX_CONNECTIONS);
        return of(dataSource, size);
    }

    /**
     * Bounds {@code dataSource} with a gate of {@code maxConnections}; make it no larger than the
     * pool.
     *
     * @throws IllegalArgumentException if {@code maxConnections} is below 1
     */
    public static DeadlineBoundDataSource of(DataSource dataSource, int maxConnections) {
        Objects.requireNonNull(dataSource, "dataSource");
        if (maxConnections < 1) {
            throw new IllegalArgumentException("maxConnections must be at least 1, but was " + maxConnections);
        }
        return new DeadlineBoundDataSource(dataSource, maxConnections);
    }

    /** The work of one transaction. */
    @FunctionalInterface
    public interface Work<T> {
        T run(Connection connection) throws SQLException;
    }

    /**
     * Runs {@code work} in one transaction that ends by {@code deadline}: commits what it returns,
     * rolls back whatever it throws. A read costs no commit on either engine.
     *
     * @throws SQLException what {@code work} threw, or a timeout ({@link #isTimeout}) if no
     *     connection came free, a lock was not granted or a statement did not finish in time;
     *     either way nothing was committed
     */
    public <T> T inTransaction(Deadline deadline, Work<T> work) throws SQLException {
        Objects.requireNonNull(deadline, "deadline");
        Objects.requireNonNull(work, "work");
        return run(deadline, true, work);
    }

    /**
     * Runs {@code work} in auto-commit mode, each statement its own transaction, bounded by {@code
     * deadline} as {@link #inTransaction} is. For reads that need no snapshot across statements, and
     * for a write that is a single statement: it saves the BEGIN and COMMIT a transaction costs (on
     * PostgreSQL, a round trip each).
     *
     * @throws SQLException what {@code work} threw, or a timeout ({@link #isTimeout})
     */
    public <T> T inAutoCommit(Deadline deadline, Work<T> work) throws SQLException {
        Objects.requireNonNull(deadline, "deadline");
        Objects.requireNonNull(work, "work");
        return run(deadline, false, work);
    }

    private <T> T run(Deadline deadline, boolean atomic, Work<T> work) throws SQLException {
        enter(deadline);
        try (Connection connection = dataSource.getConnection()) {
            return SessionTimeouts.run(timeouts, connection, deadline, atomic, work);
        } finally {
            gate.release();
        }
    }

    /**
     * A connection through the gate, waited for at most until {@code deadline}, for work that runs
     * its own transactions; closing it gives the permit back. Its statements are not time-limited:
     * prefer {@link #inTransaction}.
     *
     * @throws SQLException a timeout ({@link #isTimeout}) if none came free in time, or the pool's
     *     failure
     */
    public Connection connection(Deadline deadline) throws SQLException {
        Objects.requireNonNull(deadline, "deadline");
        enter(deadline);
        Connection connection;
        try {
            connection = dataSource.getConnection();
        } catch (SQLException | RuntimeException | Error e) {
            gate.release();
            throw e;
        }
        AtomicBoolean open = new AtomicBoolean(true);
        return (Connection) Proxy.newProxyInstance(
                Connection.class.getClassLoader(), new Class<?>[] {Connection.class}, (proxy, method, args) -> {
                    if (method.getName().equals("close") && open.compareAndSet(true, false)) {
                        try {
                            connection.close();
                        } finally {
                            gate.release();
                        }
                        return null;
                    }
                    try {
                        return method.invoke(connection, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    /** The data source underneath, for what runs outside any request (schema migrations). */
    public DataSource dataSource() {
        return dataSource;
    }

    /** How many connections may be in use through this gate at once. */
    public int maxConnections() {
        return maxConnections;
    }

    /**
     * Whether {@code e} says a wait ran out of time: no connection in time, a statement cancelled by
     * its timeout, or a lock not granted in time (H2 and PostgreSQL SQLSTATEs).
     */
    public static boolean isTimeout(SQLException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLTimeoutException) {
                return true;
            }
        }
        return SqlDialect.isTimeout(e);
    }

    private void enter(Deadline deadline) throws SQLException {
        long left = deadline.remainingNanos();
        boolean entered;
        try {
            entered = left > 0 && gate.tryAcquire(left, TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SQLTimeoutException(
                    "interrupted while waiting for a database connection", NO_CONNECTION_IN_TIME, e);
        }
        if (!entered) {
            throw new SQLTimeoutException(
                    "no database connection came free within the deadline (budget "
                            + deadline.budget().toMillis() + " ms, " + maxConnections + " connections all in use)",
                    NO_CONNECTION_IN_TIME);
        }
    }

    @Override
    public String toString() {
        return "DeadlineBoundDataSource[maxConnections=" + maxConnections + ", " + dataSource + "]";
    }
}
