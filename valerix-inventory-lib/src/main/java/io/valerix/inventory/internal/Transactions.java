package io.valerix.inventory.internal;

import java.sql.Connection;
import java.sql.SQLException;

/** Runs work in one transaction on a connection, committing or rolling back, never half. */
final class Transactions {

    @FunctionalInterface
    interface Work<T> {
        T run() throws SQLException;
    }

    private Transactions() {}

    /**
     * Runs {@code work} with auto-commit off and commits its result. Any failure rolls back first,
     * so a lost race leaves nothing behind for the retry to trip over.
     */
    static <T> T run(Connection connection, Work<T> work) throws SQLException {
        boolean autoCommit = connection.getAutoCommit();
        connection.setAutoCommit(false);
        T result;
        try {
            result = work.run();
            connection.commit();
        } catch (SQLException | RuntimeException | Error failure) {
            // Keep the first failure: it says what went wrong; cleanup failures ride along.
            try {
                connection.rollback();
                connection.setAutoCommit(autoCommit);
            } catch (SQLException cleanupFailed) {
                failure.addSuppressed(cleanupFailed);
            }
            throw failure;
        }
        connection.setAutoCommit(autoCommit);
        return result;
    }
}
