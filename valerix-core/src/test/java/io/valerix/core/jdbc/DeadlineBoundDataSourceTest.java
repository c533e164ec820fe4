package io.valerix.core.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.zaxxer.hikari.HikariDataSource;
import io.valerix.core.deadline.Deadline;
import io.valerix.core.testing.DatabaseEngine;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Every wait in a transaction or a read ends by its deadline, on a real database whose own waits
 * are far longer (H2: a 10 s lock timeout; PostgreSQL: none; both: a 2 s pool timeout). The slack
 * is generous so a loaded machine does not fail these; the waits they replace are five to ten
 * times longer, or endless.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
@ParameterizedClass
@EnumSource(DatabaseEngine.class)
class DeadlineBoundDataSourceTest {

    @Parameter
    DatabaseEngine engine;

    private static final Duration BUDGET = Duration.ofMillis(300);
    private static final Duration SLACK = Duration.ofMillis(1500);

    @TempDir
    Path dir;

    private HikariDataSource pool;
    private final ExecutorService threads = Executors.newCachedThreadPool();

    @BeforeEach
    void openDatabase() throws SQLException {
        pool = engine.create(dir, "bounded").open(2);
        try (Connection c = pool.getConnection();
                Statement s = c.createStatement()) {
            s.execute("CREATE TABLE item (id INT PRIMARY KEY, n INT NOT NULL)");
            s.execute("INSERT INTO item VALUES (1, 0)");
        }
    }

    @AfterEach
    void close() {
        threads.shutdownNow();
        pool.close();
    }

    @Test
    void noFreeConnectionGivesUpAtTheDeadlineInsteadOfThePoolsTimeout() throws Exception {
        // Given a gate of one connection, held by a long transaction
        DeadlineBoundDataSource database = DeadlineBoundDataSource.of(pool, 1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicBoolean holding = new AtomicBoolean();
        Future<?> holder = threads.submit(() -> database.inTransaction(Deadline.after(Duration.ofSeconds(30)), c -> {
            holding.set(true);
            try {
                return release.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }));
        await().atMost(Duration.ofSeconds(10)).untilTrue(holding);

        // When another transaction needs a connection
        long start = System.nanoTime();
        assertThatThrownBy(() -> database.inTransaction(Deadline.after(BUDGET), c -> 1))
                // Then it gives up by its deadline, with a timeout
                .isInstanceOfSatisfying(SQLException.class, DeadlineBoundDataSourceTest::isATimeout);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(BUDGET.plus(SLACK));
        release.countDown();
        holder.get(10, TimeUnit.SECONDS);
    }

    @Test
    void aLockedRowGivesUpAtTheDeadlineAndRollsBackTheTransaction() throws Exception {
        // Given another connection holding the row's lock
        DeadlineBoundDataSource database = DeadlineBoundDataSource.of(pool, 1);
        try (Connection blocker = lockRowOne()) {

            // When a transaction writes elsewhere, then waits for that row
            long start = System.nanoTime();
            assertThatThrownBy(() -> database.inTransaction(Deadline.after(BUDGET), c -> {
                        try (Statement s = c.createStatement()) {
                            s.executeUpdate("INSERT INTO item VALUES (2, 0)");
                            return s.executeUpdate("UPDATE item SET n = n + 1 WHERE id = 1");
                        }
                    }))
                    .isInstanceOfSatisfying(SQLException.class, DeadlineBoundDataSourceTest::isATimeout);

            // Then it gave up by its deadline, not after H2's 10 s lock timeout, and wrote nothing
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(BUDGET.plus(SLACK));
            blocker.rollback();
        }
        assertThat(count("SELECT COUNT(*) FROM item")).isEqualTo(1);
    }

    @Test
    void theConnectionGoesBackToThePoolWithItsOwnTimeoutsAndAutoCommit() throws Exception {
        // Given a pool of one connection, with the engine's own timeouts (H2: the URL's 10 s lock timeout)
        DeadlineBoundDataSource database = DeadlineBoundDataSource.of(pool, 1);
        String before;
        try (Connection c = pool.getConnection()) {
            before = sessionTimeouts(c);
        }

        // When a transaction and a read ran under a short deadline
        long duringTransaction = database.inTransaction(Deadline.after(BUDGET), c -> statementTimeoutMillis(c));
        assertThat(duringTransaction).isBetween(1L, BUDGET.toMillis());
        boolean autoCommitInRead = database.inAutoCommit(Deadline.after(BUDGET), Connection::getAutoCommit);
        assertThat(autoCommitInRead).isTrue();

        // Then the next user of the pool gets the connection as it was
        try (Connection c = pool.getConnection()) {
            assertThat(c.getAutoCommit()).isTrue();
            assertThat(sessionTimeouts(c)).isEqualTo(before);
        }
        if (engine == DatabaseEngine.H2) {
            assertThat(before).isEqualTo("lock 10000, query 0");
        }
    }

    @Test
    void aReadWaitingForALockedRowGivesUpAtTheDeadline() throws Exception {
        // Given another connection holding the row's lock
        DeadlineBoundDataSource database = DeadlineBoundDataSource.of(pool, 1);
        try (Connection blocker = lockRowOne()) {

            // When a read (auto-commit) waits for that row's lock
            long start = System.nanoTime();
            assertThatThrownBy(() -> database.inAutoCommit(Deadline.after(BUDGET), c -> {
                        try (Statement s = c.createStatement();
                                ResultSet row = s.executeQuery("SELECT n FROM item WHERE id = 1 FOR UPDATE")) {
                            return row.next();
                        }
                    }))
                    // Then it gives up by its deadline, with a timeout
                    .isInstanceOfSatisfying(SQLException.class, DeadlineBoundDataSourceTest::isATimeout);
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(BUDGET.plus(SLACK));
            blocker.rollback();
        }
    }

    @Test
    void eachStatementGetsWhatTheDeadlineHasLeftWhenItStarts() throws Exception {
        assumeTrue(
                engine == DatabaseEngine.POSTGRESQL,
                "H2 bounds a transaction's statements by what its deadline had left when it began");
        // Given another connection holding a row's lock, and a transaction with a 4 s budget
        DeadlineBoundDataSource database = DeadlineBoundDataSource.of(pool, 1);
        Duration budget = Duration.ofSeconds(4);
        try (Connection blocker = lockRowOne()) {

            // When its first statement takes 3.5 s and its second waits for the locked row
            long start = System.nanoTime();
            assertThatThrownBy(() -> database.inTransaction(Deadline.after(budget), c -> {
                        try (Statement s = c.createStatement()) {
                            s.execute("SELECT pg_sleep(3.5)");
                            return s.executeUpdate("UPDATE item SET n = n + 1 WHERE id = 1");
                        }
                    }))
                    .isInstanceOfSatisfying(SQLException.class, DeadlineBoundDataSourceTest::isATimeout);

            // Then the second was cancelled at the deadline (about 4 s), not a whole budget after it
            // started (7.5 s), as a timeout set once per transaction would have it
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(budget.plus(SLACK));
            blocker.rollback();
        }
        assertThat(count("SELECT n FROM item WHERE id = 1")).isZero();
    }

    @Test
    void aSpentDeadlineTouchesNoConnection() {
        DeadlineBoundDataSource database = DeadlineBoundDataSource.of(pool, 1);
        assertThatThrownBy(() -> database.inTransaction(Deadline.after(Duration.ZERO), c -> {
                    throw new AssertionError("ran");
                }))
                .isInstanceOfSatisfying(SQLException.class, DeadlineBoundDataSourceTest::isATimeout);
    }

    @Test
    void aGateOfNoConnectionsIsRefused() {
        assertThatThrownBy(() -> DeadlineBoundDataSource.of(pool, 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("maxConnections must be at least 1, but was 0");
    }

    /** A connection of the pool holding row 1's lock, in a transaction left open; roll it back. */
    private Connection lockRowOne() throws SQLException {
        Connection blocker = pool.getConnection();
        blocker.setAutoCommit(false);
        try (Statement s = blocker.createStatement()) {
            s.executeUpdate("UPDATE item SET n = 100 WHERE id = 1");
        }
        return blocker;
    }

    private static void isATimeout(SQLException e) {
        assertThat(DeadlineBoundDataSource.isTimeout(e))
                .as("%s: %s", e.getSQLState(), e.getMessage())
                .isTrue();
    }

    /** The session's own timeouts, as the engine reports them. */
    private String sessionTimeouts(Connection c) throws SQLException {
        if (engine == DatabaseEngine.H2) {
            return "lock " + query(c, "SELECT LOCK_TIMEOUT()") + ", query "
                    + query(
                            c,
                            "SELECT SETTING_VALUE FROM INFORMATION_SCHEMA.SETTINGS WHERE SETTING_NAME = 'QUERY_TIMEOUT'");
        }
        return "statement " + query(c, "SHOW statement_timeout") + ", lock " + query(c, "SHOW lock_timeout");
    }

    /**
     * The time a statement run on {@code c} now may take, in milliseconds: H2's session setting, or
     * the PostgreSQL driver's timeout of the statement that asks.
     */
    private long statementTimeoutMillis(Connection c) throws SQLException {
        if (engine == DatabaseEngine.H2) {
            return Long.parseLong(query(
                    c, "SELECT SETTING_VALUE FROM INFORMATION_SCHEMA.SETTINGS WHERE SETTING_NAME = 'QUERY_TIMEOUT'"));
        }
        try (Statement s = c.createStatement()) {
            s.execute("SELECT 1");
            return s.unwrap(org.postgresql.jdbc.PgStatement.class).getQueryTimeoutMs();
        }
    }

    private static String query(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement();
                ResultSet row = s.executeQuery(sql)) {
            row.next();
            return row.getString(1);
        }
    }

    private long count(String sql) throws SQLException {
        try (Connection c = pool.getConnection();
                Statement s = c.createStatement();
                ResultSet row = s.executeQuery(sql)) {
            row.next();
            return row.getLong(1);
        }
    }
}
