package io.valerix.core.journal;

import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A table whose writes go into the {@link ChangeJournal}: its name and the columns of its primary
 * key, in order. Declare one constant per table and name rows with {@link #row(Object...)}:
 *
 * <pre>{@code
 * static final JournaledTable ORDERS = JournaledTable.of("orders", "order_id");
 * journal.capture(connection, ORDERS.row(orderId));
 * }</pre>
 *
 * <p>Names are plain lower-case SQL identifiers, checked here because they are put into SQL text.
 * Immutable and thread-safe.
 */
public record JournaledTable(String name, List<String> keyColumns) {

    private static final Pattern IDENTIFIER = Pattern.compile("[a-z_][a-z0-9_]{0,62}");

    /**
     * @throws IllegalArgumentException if a name is not a lower-case SQL identifier, or there is no
     *     key column
     */
    public JournaledTable {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(keyColumns, "keyColumns");
        requireIdentifier("table name", name);
        if (keyColumns.isEmpty()) {
            throw new IllegalArgumentException(
                    "keyColumns of table '" + name + "' must name at least one column, but was empty");
        }
        keyColumns.forEach(column -> requireIdentifier("key column of table '" + name + "'", column));
        keyColumns = List.copyOf(keyColumns);
    }

    /** The table {@code name} keyed by {@code keyColumns}. */
    public static JournaledTable of(String name, String... keyColumns) {
        return new JournaledTable(name, List.of(keyColumns));
    }

    /**
     * The row of this table with these key values, in the order of {@link #keyColumns()}.
     *
     * @throws IllegalArgumentException if the number of values differs from the key columns'
     * @throws NullPointerException if a value is null (a key column is never null)
     */
    public Row row(Object... keyValues) {
        return new Row(this, List.of(keyValues));
    }

    /** One row of a {@link JournaledTable}, named by its primary key. */
    public record Row(JournaledTable table, List<Object> keyValues) {

        public Row {
            Objects.requireNonNull(table, "table");
            Objects.requireNonNull(keyValues, "keyValues");
            if (keyValues.size() != table.keyColumns().size()) {
                throw new IllegalArgumentException("a row of '" + table.name() + "' is named by " + table.keyColumns()
                        + ", but " + keyValues.size() + " key values were given");
            }
            keyValues = List.copyOf(keyValues);
        }
    }

    static void requireIdentifier(String what, String identifier) {
        Objects.requireNonNull(identifier, what);
        if (!IDENTIFIER.matcher(identifier).matches()) {
            throw new IllegalArgumentException(
                    what + " must be a lower-case SQL identifier, but was '" + identifier + "'");
        }
    }
}
