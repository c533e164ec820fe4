package io.valerix.harness.services;

import com.zaxxer.hikari.HikariDataSource;
import io.valerix.core.jdbc.PostgresCluster;

/**
 * The two services' open databases, and the private PostgreSQL cluster behind them if Valerix
 * runs one. {@link #close()} closes the pools, then stops the cluster. Who opens it closes it.
 */
public final class ServiceDatabases implements AutoCloseable {

    private final Storage.Engine engine;
    private final HikariDataSource orders;
    private final HikariDataSource inventory;
    private final PostgresCluster cluster;

    ServiceDatabases(
            Storage.Engine engine, HikariDataSource orders, HikariDataSource inventory, PostgresCluster cluster) {
        this.engine = engine;
        this.orders = orders;
        this.inventory = inventory;
        this.cluster = cluster;
    }

    public Storage.Engine engine() {
        return engine;
    }

    public HikariDataSource orders() {
        return orders;
    }

    public HikariDataSource inventory() {
        return inventory;
    }

    /** The private cluster, or null if the databases are H2 files or on an existing server. */
    public PostgresCluster cluster() {
        return cluster;
    }

    @Override
    public void close() {
        try {
            orders.close();
        } finally {
            try {
                inventory.close();
            } finally {
                if (cluster != null) {
                    cluster.close();
                }
            }
        }
    }
}
