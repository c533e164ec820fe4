package io.valerix.core.backup.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.valerix.core.journal.internal.RowCodec;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Applies journal entries to a database of the same schema, in plain SQL that runs on any engine:
 * a PUT updates the row by key and inserts it if there was none (no MERGE, no ON CONFLICT; an
 * update in place also keeps rows that others refer to by foreign key), a DELETE deletes by key.
 * Values are decoded by the target columns' types.
 *
 * <p>Table and column names come from the archive, so each must be a plain identifier and exist
 * in the target database before it is put into SQL. Not thread-safe: one connection, one thread.
 */
public final class JournalReplayer implements AutoCloseable {

    private static final Pattern IDENTIFIER = Pattern.compile("[a-z_][a-z0-9_]{0,62}");

    private final Connection connection;
    private final Map<String, Map<String, RowCodec.Kind>> columnsByTable = new HashMap<>();
    private final Map<String, PreparedStatement> statements = new HashMap<>();

    public JournalReplayer(Connection connection) {
        this.connection = connection;
    }

    /**
     * Applies one entry.
     *
     * @throws IllegalArgumentException if the entry does not fit the schema (unknown table or
     *     column, a value of the wrong type)
     * @throws SQLException if the database refuses it
     */
    public void apply(JournalEntry entry) throws SQLException {
        Map<String, RowCodec.Kind> columns = columns(entry.table());
        List<String> keyColumns = names(entry.key(), columns, entry);
        if (entry.isDelete()) {
            PreparedStatement delete = statement("DELETE FROM " + entry.table() + " WHERE " + conditions(keyColumns));
            bind(delete, 1, keyColumns, entry.key(), columns);
            delete.executeUpdate();
            return;
        }
        List<String> imageColumns = names(entry.row(), columns, entry);
        List<String> valueColumns = new ArrayList<>(imageColumns);
        valueColumns.removeAll(keyColumns);
        int updated;
        if (valueColumns.isEmpty()) {
            PreparedStatement exists = statement("SELECT 1 FROM " + entry.table() + " WHERE " + conditions(keyColumns));
            bind(exists, 1, keyColumns, entry.key(), columns);
            try (ResultSet row = exists.executeQuery()) {
                updated = row.next() ? 1 : 0;
            }
        } else {
            StringBuilder sql =
                    new StringBuilder("UPDATE ").append(entry.table()).append(" SET ");
            for (int i = 0; i < valueColumns.size(); i++) {
                sql.append(i == 0 ? "" : ", ").append(valueColumns.get(i)).append(" = ?");
            }
            PreparedStatement update = statement(
                    sql.append(" WHERE ").append(conditions(keyColumns)).toString());
            int next = bind(update, 1, valueColumns, entry.row(), columns);
            bind(update, next, keyColumns, entry.key(), columns);
            updated = update.executeUpdate();
        }
        if (updated == 0) {
            String placeholders = String.join(", ", java.util.Collections.nCopies(imageColumns.size(), "?"));
            PreparedStatement insert = statement("INSERT INTO " + entry.table() + " (" + String.join(", ", imageColumns)
                    + ") VALUES (" + placeholders + ")");
            bind(insert, 1, imageColumns, entry.row(), columns);
            insert.executeUpdate();
        }
    }

    @Override
    public void close() throws SQLException {
        SQLException first = null;
        for (PreparedStatement statement : statements.values()) {
            try {
                statement.close();
            } catch (SQLException e) {
                first = first == null ? e : first;
            }
        }
        statements.clear();
        if (first != null) {
            throw first;
        }
    }

    private Map<String, RowCodec.Kind> columns(String table) throws SQLException {
        Map<String, RowCodec.Kind> known = columnsByTable.get(table);
        if (known != null) {
            return known;
        }
        if (!IDENTIFIER.matcher(table).matches()) {
            throw new IllegalArgumentException("table name '" + table + "' is not a plain identifier");
        }
        Map<String, RowCodec.Kind> columns = new HashMap<>();
        try (PreparedStatement probe = connection.prepareStatement("SELECT * FROM " + table + " WHERE 1 = 0");
                ResultSet empty = probe.executeQuery()) {
            ResultSetMetaData meta = empty.getMetaData();
            for (int i = 1; i <= meta.getColumnCount(); i++) {
                columns.put(
                        meta.getColumnLabel(i).toLowerCase(Locale.ROOT),
                        RowCodec.kind(meta.getColumnType(i), meta.getColumnTypeName(i)));
            }
        } catch (SQLException e) {
            throw new IllegalArgumentException(
                    "table '" + table + "' is not in the restored database: " + e.getMessage(), e);
        }
        columnsByTable.put(table, columns);
        return columns;
    }

    private static List<String> names(ObjectNode values, Map<String, RowCodec.Kind> columns, JournalEntry entry) {
        List<String> names = new ArrayList<>();
        values.fieldNames().forEachRemaining(names::add);
        for (String name : names) {
            if (!columns.containsKey(name)) {
                throw new IllegalArgumentException(
                        "journal row " + entry.seq() + " has column '" + name + "' that table '" + entry.table()
                                + "' of the restored database does not have (was the schema changed after the base backup?)");
            }
        }
        if (names.isEmpty()) {
            throw new IllegalArgumentException("journal row " + entry.seq() + " names no columns");
        }
        return names;
    }

    private static String conditions(List<String> keyColumns) {
        StringBuilder sql = new StringBuilder();
        for (int i = 0; i < keyColumns.size(); i++) {
            sql.append(i == 0 ? "" : " AND ").append(keyColumns.get(i)).append(" = ?");
        }
        return sql.toString();
    }

    private static int bind(
            PreparedStatement statement,
            int first,
            List<String> names,
            ObjectNode values,
            Map<String, RowCodec.Kind> columns)
            throws SQLException {
        int index = first;
        for (String name : names) {
            JsonNode value = values.get(name);
            statement.setObject(index++, RowCodec.decode(value, columns.get(name)));
        }
        return index;
    }

    private PreparedStatement statement(String sql) throws SQLException {
        PreparedStatement statement = statements.get(sql);
        if (statement == null) {
            statement = connection.prepareStatement(sql);
            statements.put(sql, statement);
        }
        return statement;
    }
}
