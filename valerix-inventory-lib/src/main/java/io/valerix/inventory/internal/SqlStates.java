package io.valerix.inventory.internal;

import java.sql.SQLException;

/**
 * Classifies database failures by SQLState, which H2 and PostgreSQL share for the cases that
 * matter here, so no driver-specific exception types are needed.
 */
final class SqlStates {

  private static final String UNIQUE_VIOLATION = "23505";
  /** Serialization failure on PostgreSQL; deadlock on H2. Either way: roll back and try again. */
  private static final String SERIALIZATION_FAILURE = "40001";
  private static final String DEADLOCK_DETECTED = "40P01";
  /** H2's "concurrent update": a row changed under a statement that had already read it. */
  private static final String H2_CONCURRENT_UPDATE = "90131";

  private SqlStates() {}

  /** True if another transaction inserted the same key first. */
  static boolean isUniqueViolation(SQLException e) {
    return UNIQUE_VIOLATION.equals(e.getSQLState());
  }

  /** True if the transaction lost a race the database resolved by failing it; a retry may succeed. */
  static boolean isTransient(SQLException e) {
    String state = e.getSQLState();
    return SERIALIZATION_FAILURE.equals(state) || DEADLOCK_DETECTED.equals(state) || H2_CONCURRENT_UPDATE.equals(state);
  }
}
