/**
 * JDBC plumbing shared by the stores: schema migrations, durable embedded H2 databases, PostgreSQL
 * clusters and pools, the engines' SQL differences, and transactions whose waits end by a deadline.
 *
 * <p>May use {@code deadline}. Types in {@code io.valerix.core.jdbc.internal} are implementation
 * details.
 */
package io.valerix.core.jdbc;
