package io.valerix.core.jdbc;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.util.Objects;

/**
 * Pooled data sources for PostgreSQL, set up like {@link H2Database}'s: auto-commit on, a short
 * wait for a free connection. Durability is the server's ({@code fsync} and
 * {@code synchronous_commit} on, PostgreSQL's defaults): an acknowledged commit is on disk.
 *
 * <p>The caller owns the returned data source and closes it.
 */
public final class PostgresDatabase {

    private PostgresDatabase() {}

    /**
     * A pool of connections to {@code jdbcUrl} ({@code jdbc:postgresql://host:port/database}).
     *
     * @throws IllegalArgumentException if the URL is not a PostgreSQL JDBC URL or the pool size is below 1
     */
    public static HikariDataSource open(String jdbcUrl, String user, String password, int maxPoolSize) {
        Objects.requireNonNull(jdbcUrl, "jdbcUrl");
        if (!jdbcUrl.startsWith("jdbc:postgresql://")) {
            throw new IllegalArgumentException("jdbcUrl must start with jdbc:postgresql://, but was '" + jdbcUrl + "'");
        }
        if (maxPoolSize < 1) {
            throw new IllegalArgumentException("maxPoolSize must be at least 1, but was " + maxPoolSize);
        }
        HikariConfig config = new HikariConfig();
        config.setPoolName(
                "pg-" + jdbcUrl.substring(jdbcUrl.lastIndexOf('/') + 1).replaceAll("[^A-Za-z0-9_-]", ""));
        config.setJdbcUrl(jdbcUrl);
        config.setDriverClassName("org.postgresql.Driver");
        if (user != null) {
            config.setUsername(user);
        }
        if (password != null) {
            config.setPassword(password);
        }
        config.setMaximumPoolSize(maxPoolSize);
        config.setMinimumIdle(1);
        config.setAutoCommit(true);
        // As for H2: a request waits for a pooled connection no longer than it would wait for an answer.
        config.setConnectionTimeout(H2Database.CONNECTION_TIMEOUT.toMillis());
        return new HikariDataSource(config);
    }
}
