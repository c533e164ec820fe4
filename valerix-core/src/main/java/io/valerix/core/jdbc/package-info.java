/** JDBC plumbing shared by the stores: schema migrations and durable embedded H2 databases. */
package io.valerix.core.jdbc;
