/**
 * Stock and exactly-once reservations.
 *
 * <p>{@link io.valerix.inventory.InventoryService} is the domain, usable in-process; {@link
 * io.valerix.inventory.InventoryService#create} puts it on any JDBC {@code DataSource} (embedded H2
 * by default, PostgreSQL in production). {@link io.valerix.inventory.InventoryHttpApi} serves it on
 * a {@code JsonServer}, and {@link io.valerix.inventory.InventoryServer} assembles the two into a
 * runnable service. Errors are {@code ProblemException}s of the types in {@link
 * io.valerix.inventory.InventoryProblems}.
 *
 * <p>Correctness rests on the database (a unique order id, conditional stock updates), never on
 * Java locks, so several instances may share one database.
 */
package io.valerix.inventory;
