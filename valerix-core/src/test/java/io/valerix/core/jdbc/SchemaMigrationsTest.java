package io.valerix.core.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariDataSource;
import io.valerix.core.testing.DatabaseEngine;
import io.valerix.core.testing.TestDatabase;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

@ParameterizedClass
@EnumSource(DatabaseEngine.class)
class SchemaMigrationsTest {

    @Parameter
    DatabaseEngine engine;

    @TempDir
    Path dir;

    @Test
    void scriptsRunInOrderOnceAndEachIsRecordedInTheSchemasOwnHistory() throws Exception {
        try (HikariDataSource db = engine.create(dir, "sample").open(2)) {
            assertThat(SchemaMigrations.migrate(db, "sample")).isEqualTo(2);
            assertThat(SchemaMigrations.migrate(db, "sample")).isEqualTo(2);

            assertThat(count(db, "SELECT COUNT(*) FROM sample_stock")).isEqualTo(1);
            assertThat(
                            count(
                                    db,
                                    "SELECT COUNT(*) FROM \"flyway_history_sample\" WHERE \"success\" AND \"version\" IN ('1', '2')"))
                    .isEqualTo(2);
        }
    }

    @Test
    void componentsSharingADatabaseEachApplyTheirOwnScriptsFromVersionOne() throws Exception {
        try (HikariDataSource db = engine.create(dir, "shared").open(2)) {
            assertThat(SchemaMigrations.migrate(db, "sample")).isEqualTo(2);
            // The schema is no longer empty; widgets must still run its V1, not be baselined past it.
            assertThat(SchemaMigrations.migrate(db, "widgets")).isEqualTo(1);

            assertThat(count(db, "SELECT COUNT(*) FROM tally")).isEqualTo(1);
            assertThat(count(db, "SELECT COUNT(*) FROM sample_stock")).isEqualTo(1);
        }
    }

    @Test
    void twoMigratorsRacingOnOneDatabaseBothSucceedAndApplyEachScriptOnce() throws Exception {
        // Several rounds on fresh databases: one race may not interleave, five rarely all miss.
        for (int round = 0; round < 5; round++) {
            TestDatabase database = engine.create(dir.resolve("round" + round), "race");
            try (HikariDataSource first = database.open(2);
                    HikariDataSource second = database.open(2)) {
                CountDownLatch start = new CountDownLatch(1);
                ExecutorService pool = Executors.newFixedThreadPool(2);
                try {
                    List<Future<Integer>> results = new ArrayList<>();
                    for (HikariDataSource instance : List.of(first, second)) {
                        results.add(pool.submit(() -> {
                            start.await();
                            return SchemaMigrations.migrate(instance, "sample");
                        }));
                    }
                    start.countDown();
                    // No catch: a migrator that fails because the other won is exactly the bug to catch.
                    for (Future<Integer> result : results) {
                        assertThat(result.get(60, TimeUnit.SECONDS)).isEqualTo(2);
                    }
                } finally {
                    pool.shutdownNow();
                }
                assertThat(count(first, "SELECT COUNT(*) FROM sample_stock")).isEqualTo(1);
                assertThat(count(first, "SELECT COUNT(*) FROM \"flyway_history_sample\" WHERE \"version\" = '2'"))
                        .isEqualTo(1);
            }
        }
    }

    @Test
    void aDatabaseMigratedByTheFormerRunnerIsTakenOverWithoutRunningScriptsAgain() throws Exception {
        try (HikariDataSource db = engine.create(dir, "legacy").open(2)) {
            try (Connection c = db.getConnection();
                    Statement s = c.createStatement()) {
                s.execute(
                        "CREATE TABLE valerix_schema_history (schema_name VARCHAR(64) NOT NULL, version INTEGER NOT NULL,"
                                + " applied_at TIMESTAMP WITH TIME ZONE NOT NULL, PRIMARY KEY (schema_name, version))");
                s.execute("CREATE TABLE sample_stock (sku VARCHAR(64) PRIMARY KEY, available INTEGER NOT NULL,"
                        + " updated_at TIMESTAMP WITH TIME ZONE)");
                s.execute("INSERT INTO sample_stock (sku, available) VALUES ('a', 3)");
                s.execute(
                        "INSERT INTO valerix_schema_history VALUES ('sample', 1, CURRENT_TIMESTAMP), ('sample', 2, CURRENT_TIMESTAMP)");
            }

            assertThat(SchemaMigrations.migrate(db, "sample")).isEqualTo(2);

            // V1 would fail on the existing table and V2 would insert a second row.
            assertThat(count(db, "SELECT available FROM sample_stock WHERE sku = 'a'"))
                    .isEqualTo(3);
        }
    }

    @Test
    void committedRowsSurviveReopeningTheDatabase() throws Exception {
        TestDatabase database = engine.create(dir, "sample");
        try (HikariDataSource db = database.open(2)) {
            SchemaMigrations.migrate(db, "sample");
            try (Connection c = db.getConnection();
                    Statement s = c.createStatement()) {
                s.executeUpdate("UPDATE sample_stock SET available = available - 2 WHERE sku = 'a' AND available >= 2");
            }
        }
        try (HikariDataSource db = database.open(2)) {
            assertThat(SchemaMigrations.migrate(db, "sample")).isEqualTo(2);
            assertThat(count(db, "SELECT available FROM sample_stock WHERE sku = 'a'"))
                    .isEqualTo(3);
        }
    }

    @Test
    void aPoolOfOneConnectionMigratesWithoutWaitingForItself() throws Exception {
        // Flyway holds two connections at once; from a pool of one it used to wait out the pool's timeout and fail.
        try (HikariDataSource db = engine.create(dir, "single").open(1)) {
            assertThat(SchemaMigrations.migrate(db, "sample")).isEqualTo(2);
            assertThat(count(db, "SELECT COUNT(*) FROM sample_stock")).isEqualTo(1);
        }
    }

    @Test
    void unknownSchemaIsReportedNotIgnored() {
        try (HikariDataSource db = engine.create(dir, "sample").open(1)) {
            assertThatThrownBy(() -> SchemaMigrations.migrate(db, "nothing_here"))
                    .hasMessageContaining("db/nothing_here/V1__");
        }
    }

    private static int count(HikariDataSource db, String sql) throws Exception {
        try (Connection c = db.getConnection();
                Statement s = c.createStatement();
                ResultSet r = s.executeQuery(sql)) {
            r.next();
            return r.getInt(1);
        }
    }
}
