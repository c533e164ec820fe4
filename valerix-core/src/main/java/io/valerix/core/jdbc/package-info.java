/** JDBC plumbing shared by the stores: schema migrations, durable embedded H2 databases, and transactions whose waits end by a deadline. */
package io.valerix.core.jdbc;
