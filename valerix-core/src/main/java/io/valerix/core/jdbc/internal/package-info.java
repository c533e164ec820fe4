/**
 * How {@link io.valerix.core.jdbc.DeadlineBoundDataSource} sets per-transaction timeouts on each
 * engine, and what core asks of HikariCP pools when HikariCP (an optional dependency) is present.
 */
package io.valerix.core.jdbc.internal;
