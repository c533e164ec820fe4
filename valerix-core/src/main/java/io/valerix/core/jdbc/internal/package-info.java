/** How {@link io.valerix.core.jdbc.DeadlineBoundDataSource} sets per-transaction timeouts on each engine. */
package io.valerix.core.jdbc.internal;
