package io.valerix.inventory.internal;

import io.valerix.core.jdbc.SqlDialect;
import java.sql.SQLException;

/**
 * Classifies database failures by SQLSTATE, on H2 and PostgreSQL alike, so no driver-specific
 * exception types are needed. The codes themselves live in {@link SqlDialect}, shared by every store.
 */
final class SqlStates {

    private SqlStates() {}

    /** True if another transaction inserted the same key first (23505 on both engines). */
    static boolean isUniqueViolation(SQLException e) {
        return SqlDialect.isUniqueViolation(e);
    }

    /**
     * True if the transaction lost a race the database resolved by failing it, so a retry may
     * succeed: serialization failure (40001), deadlock (40P01), H2's concurrent update (90131).
     */
    static boolean isTransient(SQLException e) {
        return SqlDialect.isTransient(e);
    }
}
