package io.valerix.core.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.zaxxer.hikari.HikariDataSource;
import io.valerix.core.deadline.Deadline;
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

/**
 * Every wait in a transaction ends by its deadline, on a real H2 database whose own waits are far
 * longer (a 10 s lock timeout, a 2 s pool timeout). The slack is generous so a loaded machine does
 * not fail these; the waits they replace are five to ten times longer.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class DeadlineBoundDataSourceTest {

    private static final Duration BUDGET = Duration.ofMillis(300);
    private static final Duration SLACK = Duration.ofMillis(1500);

    @TempDir
    Path dir;

    private HikariDataSource pool;
    private final ExecutorService threads = Executors.newCachedThreadPool();

    @BeforeEach
    void openDatabase() throws SQLException {
        pool = H2Database.open(dir, "bounded", 2);
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
                .isInstanceOfSatisfying(
                        SQLException.class,
                        e -> assertThat(DeadlineBoundDataSource.isTimeout(e)).isTrue());
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(BUDGET.plus(SLACK));
        release.countDown();
        holder.get(10, TimeUnit.SECONDS);
    }

    @Test
    void aLockedRowGivesUpAtTheDeadlineAndRollsBackTheTransaction() throws Exception {
        // Given another connection holding the row's lock
        DeadlineBoundDataSource database = DeadlineBoundDataSource.of(pool, 1);
        try (Connection blocker = pool.getConnection()) {
            blocker.setAutoCommit(false);
            try (Statement s = blocker.createStatement()) {
                s.executeUpdate("UPDATE item SET n = 100 WHERE id = 1");
            }

            // When a transaction writes elsewhere, then waits for that row
            long start = System.nanoTime();
            assertThatThrownBy(() -> database.inTransaction(Deadline.after(BUDGET), c -> {
                        try (Statement s = c.createStatement()) {
                            s.executeUpdate("INSERT INTO item VALUES (2, 0)");
                            return s.executeUpdate("UPDATE item SET n = n + 1 WHERE id = 1");
                        }
                    }))
                    .isInstanceOfSatisfying(
                            SQLException.class,
                            e -> assertThat(DeadlineBoundDataSource.isTimeout(e))
                                    .isTrue());

            // Then it gave up by its deadline, not after H2's 10 s lock timeout, and wrote nothing
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(BUDGET.plus(SLACK));
            blocker.rollback();
        }
        assertThat(count("SELECT COUNT(*) FROM item")).isEqualTo(1);
    }

    @Test
    void theConnectionGoesBackToThePoolWithItsOwnTimeoutsAndAutoCommit() throws Exception {
        // Given a pool of one connection whose lock timeout is the URL's 10 s
        DeadlineBoundDataSource database = DeadlineBoundDataSource.of(pool, 1);

        // When a transaction ran under a short deadline
        long duringTransaction = database.inTransaction(Deadline.after(BUDGET), c -> lockTimeout(c));
        assertThat(duringTransaction).isBetween(1L, BUDGET.toMillis());

        // Then the next user of the pool gets the connection as it was
        try (Connection c = pool.getConnection()) {
            assertThat(c.getAutoCommit()).isTrue();
            assertThat(lockTimeout(c)).isEqualTo(10_000L);
        }
    }

    @Test
    void aSpentDeadlineTouchesNoConnection() {
        DeadlineBoundDataSource database = DeadlineBoundDataSource.of(pool, 1);
        assertThatThrownBy(() -> database.inTransaction(Deadline.after(Duration.ZERO), c -> {
                    throw new AssertionError("ran");
                }))
                .isInstanceOfSatisfying(
                        SQLException.class,
                        e -> assertThat(DeadlineBoundDataSource.isTimeout(e)).isTrue());
    }

    @Test
    void aGateOfNoConnectionsIsRefused() {
        assertThatThrownBy(() -> DeadlineBoundDataSource.of(pool, 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("maxConnections must be at least 1, but was 0");
    }

    private static long lockTimeout(Connection c) throws SQLException {
        try (Statement s = c.createStatement();
                ResultSet row = s.executeQuery("SELECT LOCK_TIMEOUT()")) {
            row.next();
            return row.getLong(1);
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
