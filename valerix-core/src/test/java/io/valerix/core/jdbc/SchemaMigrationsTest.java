package io.valerix.core.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariDataSource;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SchemaMigrationsTest {

  @TempDir Path dir;

  @Test
  void scriptsRunInOrderOnceAndTheVersionIsRecorded() throws Exception {
    try (HikariDataSource db = H2Database.open(dir, "sample", 2)) {
      assertThat(SchemaMigrations.migrate(db, "sample")).isEqualTo(2);
      assertThat(SchemaMigrations.migrate(db, "sample")).isEqualTo(2);

      assertThat(count(db, "SELECT COUNT(*) FROM sample_stock")).isEqualTo(1);
      assertThat(count(db, "SELECT COUNT(*) FROM valerix_schema_history WHERE schema_name = 'sample'")).isEqualTo(2);
    }
  }

  @Test
  void twoInstancesMigratingAtOnceApplyEachScriptOnce() throws Exception {
    try (HikariDataSource db = H2Database.open(dir, "sample", 4)) {
      ExecutorService pool = Executors.newFixedThreadPool(2);
      Callable<Integer> migrate = () -> SchemaMigrations.migrate(db, "sample");
      List<Future<Integer>> results = pool.invokeAll(List.of(migrate, migrate));
      pool.shutdown();

      for (Future<Integer> result : results) {
        try {
          assertThat(result.get()).isEqualTo(2);
        } catch (java.util.concurrent.ExecutionException raced) {
          // A loser may fail on the table it raced to create; it must not have applied anything twice.
        }
      }
      assertThat(SchemaMigrations.migrate(db, "sample")).isEqualTo(2);
      assertThat(count(db, "SELECT COUNT(*) FROM sample_stock")).isEqualTo(1);
    }
  }

  @Test
  void committedRowsSurviveReopeningTheFiles() throws Exception {
    try (HikariDataSource db = H2Database.open(dir, "sample", 2)) {
      SchemaMigrations.migrate(db, "sample");
      try (Connection c = db.getConnection(); Statement s = c.createStatement()) {
        s.executeUpdate("UPDATE sample_stock SET available = available - 2 WHERE sku = 'a' AND available >= 2");
      }
    }
    try (HikariDataSource db = H2Database.open(dir, "sample", 2)) {
      assertThat(count(db, "SELECT available FROM sample_stock WHERE sku = 'a'")).isEqualTo(3);
    }
  }

  @Test
  void unknownSchemaIsReportedNotIgnored() {
    try (HikariDataSource db = H2Database.open(dir, "sample", 1)) {
      assertThatThrownBy(() -> SchemaMigrations.migrate(db, "nothing_here")).hasMessageContaining("db/nothing_here/V1.sql");
    }
  }

  private static int count(HikariDataSource db, String sql) throws Exception {
    try (Connection c = db.getConnection(); Statement s = c.createStatement(); ResultSet r = s.executeQuery(sql)) {
      r.next();
      return r.getInt(1);
    }
  }
}
