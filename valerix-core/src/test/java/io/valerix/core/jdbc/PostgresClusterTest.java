package io.valerix.core.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariDataSource;
import io.valerix.core.testing.TestPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The private cluster the tests and {@code valerix --db postgres} run: durable, private, restartable. */
@Tag("slow")
class PostgresClusterTest {

    @TempDir
    Path dir;

    @BeforeEach
    void needsBinaries() {
        TestPostgres.requireBinaries();
        TestPostgres.letTheServerReach(dir);
    }

    @Test
    void aClusterCommitsDurablyListensOnLoopbackOnlyAndRefusesAWrongPassword() throws Exception {
        try (PostgresCluster cluster = PostgresCluster.start(dir.resolve("pg"))) {
            try (Connection c = DriverManager.getConnection(
                    cluster.jdbcUrl("postgres"), PostgresCluster.SUPERUSER, cluster.password())) {
                assertThat(setting(c, "fsync")).isEqualTo("on");
                assertThat(setting(c, "synchronous_commit")).isEqualTo("on");
                assertThat(setting(c, "listen_addresses")).isEqualTo("127.0.0.1");
                assertThat(setting(c, "unix_socket_directories"))
                        .startsWith(dir.toAbsolutePath().toString());
            }
            assertThatThrownBy(() -> DriverManager.getConnection(
                            cluster.jdbcUrl("postgres"), PostgresCluster.SUPERUSER, "wrong"))
                    .isInstanceOf(SQLException.class)
                    .hasMessageContaining("password authentication failed");
            assertThat(Files.getPosixFilePermissions(dir.resolve("pg").resolve("superuser-password"))
                            .toString())
                    .isEqualTo("[OWNER_READ, OWNER_WRITE]");
        }
    }

    @Test
    void aRestartedClusterKeepsItsDataAndAServerLeftRunningByAKilledOwnerIsStoppedFirst() throws Exception {
        Path home = dir.resolve("pg");
        // The first owner "dies" without closing (as after kill -9): its server keeps running.
        PostgresCluster orphan = PostgresCluster.start(home);
        orphan.createDatabase("kept");
        try (HikariDataSource db = orphan.dataSource("kept", 1);
                Connection c = db.getConnection();
                Statement s = c.createStatement()) {
            s.execute("CREATE TABLE t (n INTEGER)");
            s.execute("INSERT INTO t VALUES (42)");
        }

        try (PostgresCluster restarted = PostgresCluster.start(home)) {
            assertThat(restarted.port()).isNotEqualTo(orphan.port());
            assertThatThrownBy(() -> DriverManager.getConnection(
                                    orphan.jdbcUrl("kept"), PostgresCluster.SUPERUSER, orphan.password())
                            .close())
                    .as("the orphan was stopped")
                    .isInstanceOf(SQLException.class);
            assertThat(restarted.createDatabase("kept")).isEqualTo(restarted.jdbcUrl("kept"));
            try (HikariDataSource db = restarted.dataSource("kept", 1);
                    Connection c = db.getConnection();
                    Statement s = c.createStatement();
                    ResultSet r = s.executeQuery("SELECT n FROM t")) {
                assertThat(r.next()).isTrue();
                assertThat(r.getInt(1)).isEqualTo(42);
            }
        }
        assertThat(home.resolve("cluster").resolve("data").resolve("postmaster.pid"))
                .doesNotExist();
    }

    @Test
    void aDroppedDatabaseIsGoneEvenWhileASessionIsOpenAndDroppingItAgainIsHarmless() throws Exception {
        try (PostgresCluster cluster = PostgresCluster.start(dir.resolve("pg"))) {
            cluster.createDatabase("scratch");
            try (Connection open = DriverManager.getConnection(
                    cluster.jdbcUrl("scratch"), PostgresCluster.SUPERUSER, cluster.password())) {
                cluster.dropDatabase("scratch");

                assertThat(open.isValid(1)).as("its session was ended").isFalse();
            }
            cluster.dropDatabase("scratch");
            try (Connection c = DriverManager.getConnection(
                            cluster.jdbcUrl("postgres"), PostgresCluster.SUPERUSER, cluster.password());
                    Statement s = c.createStatement();
                    ResultSet r = s.executeQuery("SELECT COUNT(*) FROM pg_database WHERE datname = 'scratch'")) {
                r.next();
                assertThat(r.getLong(1)).isZero();
            }
        }
    }

    @Test
    void aDatabaseNameOutsideTheSafeAlphabetIsRefused() {
        try (PostgresCluster cluster = PostgresCluster.start(dir.resolve("pg"))) {
            assertThatThrownBy(() -> cluster.createDatabase("x; DROP DATABASE postgres"))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("lower-case letters, digits and '_'");
            assertThatThrownBy(() -> cluster.dropDatabase("postgres; DROP DATABASE x"))
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }

    private static String setting(Connection c, String name) throws SQLException {
        try (Statement s = c.createStatement();
                ResultSet r = s.executeQuery("SHOW " + name)) {
            r.next();
            return r.getString(1);
        }
    }
}
