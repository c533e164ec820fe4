package io.valerix.core.jdbc;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Versioned schema migrations: plain numbered SQL scripts run in order, each once, recorded in a
 * table of their own.
 *
 * <p>Scripts live on the class path as {@code db/<schema>/V<n>.sql}, numbered from 1 without
 * gaps; statements are separated by a semicolon at the end of a line. The history table is
 * {@code valerix_schema_history} with one row per (schema, version), so several components can
 * keep their tables in one database. Write SQL that runs unchanged on H2 and PostgreSQL.
 *
 * <p>Each script runs in one transaction together with its history row; the history row's primary
 * key makes two instances starting at once apply a script only once (the loser's transaction
 * fails and it re-reads the history).
 */
public final class SchemaMigrations {

  private static final Logger log = LoggerFactory.getLogger(SchemaMigrations.class);
  private static final int MAX_SCRIPTS = 1000;

  private SchemaMigrations() {}

  /**
   * Applies the scripts of {@code schema} not yet applied.
   *
   * @return the schema's version afterwards
   * @throws IllegalStateException if the database is at a version newer than the scripts on the
   *     class path (an older build against a newer database)
   */
  public static int migrate(DataSource dataSource, String schema) {
    Objects.requireNonNull(dataSource, "dataSource");
    Objects.requireNonNull(schema, "schema");
    if (!schema.matches("[a-z][a-z0-9_]*")) {
      throw new IllegalArgumentException("schema must be lower-case letters, digits and '_', but was '" + schema + "'");
    }
    List<String> scripts = load(schema);
    if (scripts.isEmpty()) {
      throw new IllegalArgumentException("no migration scripts found at db/" + schema + "/V1.sql on the class path");
    }
    try (Connection connection = dataSource.getConnection()) {
      createHistoryTable(connection);
      for (int attempt = 0; ; attempt++) {
        int current = currentVersion(connection, schema);
        if (current > scripts.size()) {
          throw new IllegalStateException(
              "database schema '" + schema + "' is at version " + current + " but this build knows only " + scripts.size());
        }
        if (current == scripts.size()) {
          return current;
        }
        try {
          apply(connection, schema, current + 1, scripts.get(current));
        } catch (SQLException raced) {
          // Another instance applied the same version first; re-read the history and go on.
          if (attempt > 3 || currentVersion(connection, schema) <= current) {
            throw raced;
          }
        }
      }
    } catch (SQLException e) {
      throw new IllegalStateException("migrating schema '" + schema + "' failed: " + e.getMessage(), e);
    }
  }

  private static void createHistoryTable(Connection connection) throws SQLException {
    try (Statement statement = connection.createStatement()) {
      statement.execute(
          "CREATE TABLE IF NOT EXISTS valerix_schema_history ("
              + " schema_name VARCHAR(64) NOT NULL,"
              + " version INTEGER NOT NULL,"
              + " applied_at TIMESTAMP WITH TIME ZONE NOT NULL,"
              + " PRIMARY KEY (schema_name, version))");
    }
    if (!connection.getAutoCommit()) {
      connection.commit();
    }
  }

  private static int currentVersion(Connection connection, String schema) throws SQLException {
    try (PreparedStatement query = connection.prepareStatement(
        "SELECT COALESCE(MAX(version), 0) FROM valerix_schema_history WHERE schema_name = ?")) {
      query.setString(1, schema);
      try (ResultSet rows = query.executeQuery()) {
        rows.next();
        return rows.getInt(1);
      }
    }
  }

  private static void apply(Connection connection, String schema, int version, String script) throws SQLException {
    boolean autoCommit = connection.getAutoCommit();
    connection.setAutoCommit(false);
    try (Statement statement = connection.createStatement();
        PreparedStatement record = connection.prepareStatement(
            "INSERT INTO valerix_schema_history (schema_name, version, applied_at) VALUES (?, ?, CURRENT_TIMESTAMP)")) {
      for (String sql : statements(script)) {
        statement.execute(sql);
      }
      record.setString(1, schema);
      record.setInt(2, version);
      record.executeUpdate();
      connection.commit();
      log.info("applied migration {} V{}", schema, version);
    } catch (SQLException e) {
      connection.rollback();
      throw e;
    } finally {
      connection.setAutoCommit(autoCommit);
    }
  }

  private static List<String> load(String schema) {
    List<String> scripts = new ArrayList<>();
    ClassLoader loader = Thread.currentThread().getContextClassLoader() != null
        ? Thread.currentThread().getContextClassLoader()
        : SchemaMigrations.class.getClassLoader();
    for (int version = 1; version <= MAX_SCRIPTS; version++) {
      try (InputStream in = loader.getResourceAsStream("db/" + schema + "/V" + version + ".sql")) {
        if (in == null) {
          return scripts;
        }
        scripts.add(new String(in.readAllBytes(), StandardCharsets.UTF_8));
      } catch (IOException e) {
        throw new UncheckedIOException("reading db/" + schema + "/V" + version + ".sql failed", e);
      }
    }
    return scripts;
  }

  static List<String> statements(String script) {
    List<String> statements = new ArrayList<>();
    StringBuilder current = new StringBuilder();
    for (String line : script.split("\n")) {
      String trimmed = line.strip();
      if (trimmed.startsWith("--") || trimmed.isEmpty()) {
        continue;
      }
      current.append(line).append('\n');
      if (trimmed.endsWith(";")) {
        String sql = current.toString().strip();
        statements.add(sql.substring(0, sql.length() - 1));
        current.setLength(0);
      }
    }
    if (!current.toString().isBlank()) {
      statements.add(current.toString().strip());
    }
    return statements;
  }
}
