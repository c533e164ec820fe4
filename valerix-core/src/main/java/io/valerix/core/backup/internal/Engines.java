package io.valerix.core.backup.internal;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Locale;

/** The few places where engines differ: naming the engine, and a consistent read snapshot. */
public final class Engines {

    /** H2's own isolation level SNAPSHOT (org.h2.engine.Constants.TRANSACTION_SNAPSHOT). */
    private static final int H2_SNAPSHOT = 6;

    private Engines() {}

    public static boolean isH2(Connection connection) throws SQLException {
        return connection
                .getMetaData()
                .getDatabaseProductName()
                .toLowerCase(Locale.ROOT)
                .contains("h2");
    }

    /**
     * Starts a read-only transaction in which every query sees one committed state: PostgreSQL's
     * REPEATABLE READ is a snapshot; H2 calls that level SNAPSHOT (its REPEATABLE READ lets new
     * rows appear).
     */
    public static void beginSnapshot(Connection connection) throws SQLException {
        connection.setAutoCommit(false);
        connection.setTransactionIsolation(isH2(connection) ? H2_SNAPSHOT : Connection.TRANSACTION_REPEATABLE_READ);
    }
}
