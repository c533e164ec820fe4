package io.valerix.core.testing;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;

/**
 * Reads tables directly, past the code under test, to check what a call did (or did not) write.
 * Two equal snapshots of a table, timestamps included, mean nothing was written in between.
 */
public final class DatabaseRows {

    private DatabaseRows() {}

    /** Each row of {@code sql}'s result as its columns joined by {@code |} (bytes read as UTF-8). */
    public static List<String> rows(DataSource dataSource, String sql) {
        try (Connection c = dataSource.getConnection();
                Statement s = c.createStatement();
                ResultSet r = s.executeQuery(sql)) {
            ResultSetMetaData meta = r.getMetaData();
            List<String> rows = new ArrayList<>();
            while (r.next()) {
                List<String> columns = new ArrayList<>();
                for (int i = 1; i <= meta.getColumnCount(); i++) {
                    Object value = r.getObject(i);
                    columns.add(
                            value instanceof byte[] bytes
                                    ? new String(bytes, StandardCharsets.UTF_8)
                                    : String.valueOf(value));
                }
                rows.add(String.join("|", columns));
            }
            return rows;
        } catch (SQLException e) {
            throw new IllegalStateException(sql + " failed", e);
        }
    }

    /** The number {@code sql} (a {@code SELECT COUNT(*)}) answers. */
    public static long count(DataSource dataSource, String sql) {
        return Long.parseLong(rows(dataSource, sql).get(0));
    }
}
