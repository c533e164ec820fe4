package io.valerix.core.jdbc;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Locale;
import java.util.Set;
import javax.sql.DataSource;

/**
 * The two engines the stores run on, and what differs between them: a few SQL forms and the
 * SQLSTATEs of the failures the stores handle. Chosen from the connection's metadata, so a store
 * needs no setting.
 *
 * <p>Most store SQL runs unchanged on both (H2 runs in PostgreSQL mode). Use a dialect only where
 * the portable form costs something.
 */
public enum SqlDialect {
    H2,
    POSTGRESQL;

    /** unique_violation: another transaction inserted the same key first (both engines). */
    private static final String UNIQUE_VIOLATION = "23505";
    /** foreign_key_violation on PostgreSQL (23503), a missing parent row on H2 (23506). */
    private static final Set<String> FOREIGN_KEY_VIOLATION = Set.of("23503", "23506");
    /**
     * A race the database settled by failing this transaction; rolling back and trying again may
     * succeed: serialization_failure (PostgreSQL; H2 reports deadlocks with it too), deadlock_detected
     * (PostgreSQL), H2's "concurrent update in table" (90131).
     */
    private static final Set<String> TRANSIENT = Set.of("40001", "40P01", "90131");
    /**
     * A wait that ran out: query_canceled (PostgreSQL's statement_timeout, H2's cancelled statement),
     * lock_not_available (PostgreSQL's lock_timeout or NOWAIT), H2's lock timeout (HYT00 and 50200).
     */
    private static final Set<String> TIMEOUT = Set.of("57014", "55P03", "HYT00", "50200");

    /** The dialect of the database behind {@code connection}. */
    public static SqlDialect of(Connection connection) throws SQLException {
        String product = connection.getMetaData().getDatabaseProductName().toLowerCase(Locale.ROOT);
        if (product.contains("postgres")) {
            return POSTGRESQL;
        }
        if (product.contains("h2")) {
            return H2;
        }
        throw new SQLException("unsupported database '" + product + "': Valerix runs on H2 and PostgreSQL");
    }

    /** The dialect of the database behind {@code dataSource} (borrows one connection). */
    public static SqlDialect of(DataSource dataSource) throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            return of(connection);
        }
    }

    /**
     * The clause that locks the selected rows and skips rows other transactions hold locked, so that
     * several workers take disjoint batches: {@code FOR UPDATE SKIP LOCKED} on both engines.
     */
    public String forUpdateSkipLocked() {
        return " FOR UPDATE SKIP LOCKED";
    }

    /**
     * The suffix that turns a plain INSERT into one that inserts nothing (and fails nothing) when the
     * key exists: {@code ON CONFLICT DO NOTHING}, which H2 accepts in PostgreSQL mode. Unlike
     * catching a unique violation, it leaves a PostgreSQL transaction usable.
     */
    public String onConflictDoNothing() {
        return " ON CONFLICT DO NOTHING";
    }

    /** True if a row refers to a parent row that does not exist. Looks through chained exceptions. */
    public static boolean isForeignKeyViolation(SQLException e) {
        return hasState(e, FOREIGN_KEY_VIOLATION);
    }

    /** True if another transaction inserted the same key first. Looks through chained exceptions. */
    public static boolean isUniqueViolation(SQLException e) {
        return hasState(e, Set.of(UNIQUE_VIOLATION));
    }

    /** True if the transaction lost a race the database resolved by failing it; a retry may succeed. */
    public static boolean isTransient(SQLException e) {
        return hasState(e, TRANSIENT);
    }

    /** True if a statement or lock wait ran out of time (statement or lock timeout). */
    public static boolean isTimeout(SQLException e) {
        return hasState(e, TIMEOUT);
    }

    private static boolean hasState(SQLException e, Set<String> states) {
        for (SQLException current = e; current != null; current = current.getNextException()) {
            if (current.getSQLState() != null && states.contains(current.getSQLState())) {
                return true;
            }
            if (current.getCause() instanceof SQLException cause
                    && cause != current
                    && cause.getSQLState() != null
                    && states.contains(cause.getSQLState())) {
                return true;
            }
        }
        return false;
    }
}
