package io.valerix.core.jdbc;

import io.valerix.core.jdbc.internal.HikariPools;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Objects;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.configuration.FluentConfiguration;
import org.flywaydb.core.api.output.MigrateResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Versioned schema migrations, run by Flyway: numbered SQL scripts applied in order, each once.
 *
 * <p>Scripts live on the class path as {@code db/<schema>/V<n>__<description>.sql}. Each
 * component schema (orders, idempotency, inventory, journal) keeps its own history table,
 * {@code flyway_history_<schema>}, because components share a database (idempotency, orders and
 * the journal live in the order database) and each numbers its scripts from 1: one table per
 * database would need one version sequence across components that ship separately.
 *
 * <p>Because several components share a database, a component's first migration finds the
 * schema already holding other components' tables; it starts its history with a baseline at
 * version 0 and then applies V1 onwards. A database migrated by the runner this replaced
 * ({@code valerix_schema_history}) is baselined at the version recorded there, so nothing runs twice.
 *
 * <p>Give it a data source that can hand out two connections at once (Flyway uses two), or a
 * HikariCP pool of any size (then Flyway connects beside the pool).
 *
 * <p>Several instances starting at once are safe: on PostgreSQL Flyway serialises them with an
 * advisory lock; on H2, where Flyway takes no lock, a lock in this JVM does (an H2 file can be open
 * in one process only). The loser waits and then finds the scripts applied.
 *
 * <p>Write SQL that runs on H2 (PostgreSQL mode) and PostgreSQL; where the engines need different
 * values, scripts use the placeholders of {@link #placeholders}.
 */
public final class SchemaMigrations {

    private static final Logger log = LoggerFactory.getLogger(SchemaMigrations.class);
    private static final String LEGACY_HISTORY = "valerix_schema_history";
    private static final Object H2_MIGRATIONS = new Object();
    /**
     * Two instances creating the history table at the same moment can collide before Flyway's lock
     * exists; the loser tries again and then sees the winner's table and history.
     */
    private static final int MAX_ATTEMPTS = 3;

    private SchemaMigrations() {}

    /**
     * Applies the scripts of {@code schema} not yet applied.
     *
     * @return the schema's version afterwards
     * @throws IllegalArgumentException if there are no scripts for {@code schema} on the class path
     * @throws IllegalStateException if a script fails, or the database is at a version newer than
     *     the scripts on the class path (an older build against a newer database)
     */
    public static int migrate(DataSource dataSource, String schema) {
        Objects.requireNonNull(dataSource, "dataSource");
        Objects.requireNonNull(schema, "schema");
        if (!schema.matches("[a-z][a-z0-9_]*")) {
            throw new IllegalArgumentException(
                    "schema must be lower-case letters, digits and '_', but was '" + schema + "'");
        }
        ClassLoader loader = Thread.currentThread().getContextClassLoader() != null
                ? Thread.currentThread().getContextClassLoader()
                : SchemaMigrations.class.getClassLoader();
        if (loader.getResource("db/" + schema) == null) {
            throw new IllegalArgumentException(
                    "no migration scripts found at db/" + schema + "/V1__<description>.sql on the class path");
        }
        for (int attempt = 1; ; attempt++) {
            try {
                SqlDialect dialect = SqlDialect.of(dataSource);
                Flyway flyway = connectedTo(Flyway.configure(loader), dataSource)
                        .locations("classpath:db/" + schema)
                        .table(historyTable(schema))
                        .baselineOnMigrate(true)
                        .baselineVersion(String.valueOf(legacyVersion(dataSource, schema)))
                        .baselineDescription("before Flyway, or a schema shared with other components")
                        .failOnMissingLocations(true)
                        .validateMigrationNaming(true)
                        // Nothing ignored: an older build must not run against a newer database (a "future"
                        // migration), which Flyway would otherwise accept.
                        .ignoreMigrationPatterns(new String[0])
                        .cleanDisabled(true)
                        .placeholders(placeholders(dialect))
                        .load();
                MigrateResult result;
                if (dialect == SqlDialect.H2) {
                    // Flyway takes no lock on H2, and H2 runs DDL outside transactions: two migrators would
                    // both run V1, and the loser would record it as failed. An H2 file can be open in one
                    // process only, so a lock in this JVM serialises every migrator the file can have.
                    synchronized (H2_MIGRATIONS) {
                        result = flyway.migrate();
                    }
                } else {
                    result = flyway.migrate();
                }
                if (result.migrationsExecuted > 0) {
                    log.info(
                            "applied {} migration(s) of {}; now at version {}",
                            result.migrationsExecuted,
                            schema,
                            result.targetSchemaVersion);
                }
                MigrationInfo current = flyway.info().current();
                int version = current == null || current.getVersion() == null
                        ? 0
                        : Integer.parseInt(current.getVersion().getVersion());
                return version;
            } catch (FlywayException | SQLException e) {
                if (attempt >= MAX_ATTEMPTS) {
                    throw new IllegalStateException("migrating schema '" + schema + "' failed: " + e.getMessage(), e);
                }
                log.debug("migrating {} failed (attempt {}), trying again: {}", schema, attempt, e.getMessage());
            }
        }
    }

    /**
     * Values scripts may use as {@code ${name}} where the engines need different SQL:
     * {@code sequence_cache}, the CACHE of sequences whose values must increase across sessions
     * (1 on PostgreSQL, whose caches are per session; 64 on H2, whose one process shares a cache and
     * would otherwise pay a store commit per value).
     */
    static java.util.Map<String, String> placeholders(SqlDialect dialect) {
        return java.util.Map.of("sequence_cache", dialect == SqlDialect.H2 ? "64" : "1");
    }

    /**
     * Flyway holds two connections at once (one for its lock and history, one for the scripts). From
     * a small pool that starves, and from a pool of one it waits for the pool's timeout; so for a
     * HikariCP pool it connects beside the pool with the pool's URL and credentials.
     */
    private static FluentConfiguration connectedTo(FluentConfiguration configuration, DataSource dataSource) {
        return HikariPools.connectionSettings(dataSource)
                .map(own -> configuration.dataSource(own.jdbcUrl(), own.username(), own.password()))
                .orElseGet(() -> configuration.dataSource(dataSource));
    }

    /** The name of {@code schema}'s history table. */
    public static String historyTable(String schema) {
        return "flyway_history_" + schema;
    }

    /** The version the replaced runner recorded for {@code schema}, 0 if none. */
    private static int legacyVersion(DataSource dataSource, String schema) throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            DatabaseMetaData meta = connection.getMetaData();
            try (ResultSet tables = meta.getTables(null, null, LEGACY_HISTORY, new String[] {"TABLE"})) {
                if (!tables.next()) {
                    return 0;
                }
            }
            try (PreparedStatement query = connection.prepareStatement(
                    "SELECT COALESCE(MAX(version), 0) FROM " + LEGACY_HISTORY + " WHERE schema_name = ?")) {
                query.setString(1, schema);
                try (ResultSet rows = query.executeQuery()) {
                    rows.next();
                    return rows.getInt(1);
                }
            }
        }
    }
}
