package io.valerix.core.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import io.valerix.core.testing.DatabaseEngine;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/** What the stores rely on from each engine, provoked on the real engine rather than assumed. */
@ParameterizedClass
@EnumSource(DatabaseEngine.class)
class SqlDialectTest {

    @Parameter
    DatabaseEngine engine;

    @TempDir
    Path dir;

    @Test
    void theDialectIsReadFromTheConnection() throws Exception {
        try (HikariDataSource db = engine.create(dir, "dialect").open(1)) {
            assertThat(SqlDialect.of(db))
                    .isEqualTo(engine == DatabaseEngine.H2 ? SqlDialect.H2 : SqlDialect.POSTGRESQL);
        }
    }

    @Test
    void aDuplicateKeyIsAUniqueViolationAndOnConflictDoNothingInsertsNothingWithoutFailing() throws Exception {
        try (HikariDataSource db = engine.create(dir, "dialect").open(1);
                Connection c = db.getConnection();
                Statement s = c.createStatement()) {
            SqlDialect dialect = SqlDialect.of(c);
            s.execute("CREATE TABLE t (k VARCHAR(10) PRIMARY KEY)");
            s.execute("INSERT INTO t (k) VALUES ('a')");

            SQLException duplicate = catchSql(() -> s.execute("INSERT INTO t (k) VALUES ('a')"));
            assertThat(SqlDialect.isUniqueViolation(duplicate))
                    .as("%s", duplicate.getSQLState())
                    .isTrue();
            assertThat(SqlDialect.isTransient(duplicate)).isFalse();

            c.setAutoCommit(false);
            assertThat(s.executeUpdate("INSERT INTO t (k) VALUES ('a')" + dialect.onConflictDoNothing()))
                    .isZero();
            // The transaction is still usable (a caught unique violation would have aborted it on PostgreSQL).
            assertThat(s.executeUpdate("INSERT INTO t (k) VALUES ('b')")).isEqualTo(1);
            c.commit();
        }
    }

    @Test
    void aLockWaitThatRunsOutIsATimeout() throws Exception {
        try (HikariDataSource db = engine.create(dir, "dialect").open(2);
                Connection holder = db.getConnection();
                Connection waiter = db.getConnection();
                Statement hs = holder.createStatement();
                Statement ws = waiter.createStatement()) {
            hs.execute("CREATE TABLE t (k VARCHAR(10) PRIMARY KEY, n INTEGER)");
            hs.execute("INSERT INTO t VALUES ('a', 0)");
            holder.setAutoCommit(false);
            hs.executeUpdate("UPDATE t SET n = 1 WHERE k = 'a'");
            waiter.setAutoCommit(false);
            ws.execute(engine == DatabaseEngine.H2 ? "SET LOCK_TIMEOUT 100" : "SET lock_timeout = '100ms'");

            SQLException timedOut = catchSql(() -> ws.executeUpdate("UPDATE t SET n = 2 WHERE k = 'a'"));
            assertThat(SqlDialect.isTimeout(timedOut))
                    .as("%s %s", timedOut.getSQLState(), timedOut.getMessage())
                    .isTrue();
            waiter.rollback();
            holder.rollback();
        }
    }

    @Test
    void skipLockedTakesOnlyRowsNobodyHolds() throws Exception {
        try (HikariDataSource db = engine.create(dir, "dialect").open(2);
                Connection first = db.getConnection();
                Connection second = db.getConnection();
                Statement s1 = first.createStatement();
                Statement s2 = second.createStatement()) {
            SqlDialect dialect = SqlDialect.of(first);
            s1.execute("CREATE TABLE t (k VARCHAR(10) PRIMARY KEY)");
            s1.execute("INSERT INTO t VALUES ('a'), ('b')");
            first.setAutoCommit(false);
            second.setAutoCommit(false);
            var held = s1.executeQuery("SELECT k FROM t WHERE k = 'a'" + dialect.forUpdateSkipLocked());
            assertThat(held.next()).isTrue();

            var rest = s2.executeQuery("SELECT k FROM t ORDER BY k" + dialect.forUpdateSkipLocked());
            assertThat(rest.next()).isTrue();
            assertThat(rest.getString(1)).isEqualTo("b");
            assertThat(rest.next()).isFalse();
            first.rollback();
            second.rollback();
        }
    }

    @FunctionalInterface
    private interface Sql {
        void run() throws SQLException;
    }

    private static SQLException catchSql(Sql sql) {
        try {
            sql.run();
        } catch (SQLException e) {
            return e;
        }
        throw new AssertionError("expected an SQLException");
    }
}
