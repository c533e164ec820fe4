package io.valerix.core.jdbc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Objects;
import java.util.Optional;

/**
 * One INSERT, UPDATE or DELETE that another write may join into a single SQL statement, so that
 * both commit together in one round trip: PostgreSQL runs several data-modifying statements as one
 * with {@code WITH}. Where writes cannot be joined (H2, or a change journal that must capture the
 * row), the write runs on its own in the caller's transaction instead ({@link #run}).
 *
 * <pre>{@code
 * JoinableWrite insert = JoinableWrite.of(
 *         "INSERT INTO orders (order_id, status) VALUES (?, 'PENDING') ON CONFLICT DO NOTHING",
 *         (statement, first) -> {
 *             statement.setString(first, orderId);
 *             return first + 1;
 *         });
 * }</pre>
 *
 * <p>Immutable and thread-safe if its parameters are.
 */
public final class JoinableWrite {

    /** Sets a statement's parameters. */
    @FunctionalInterface
    public interface Parameters {
        /**
         * Binds this write's parameters from index {@code first} on; the write may sit inside a
         * larger statement, so its first parameter need not be 1.
         *
         * @return the index after the last one bound
         */
        int bind(PreparedStatement statement, int first) throws SQLException;
    }

    private final String sql;
    private final Parameters parameters;
    private final DeadlineBoundDataSource.Work<Integer> alone;

    private JoinableWrite(String sql, Parameters parameters, DeadlineBoundDataSource.Work<Integer> alone) {
        this.sql = sql;
        this.parameters = parameters;
        this.alone = alone;
    }

    /**
     * A write that can be joined: {@code sql} is one INSERT, UPDATE or DELETE without a {@code
     * RETURNING} clause (whoever joins it adds its own), with {@code ?} parameters that {@code
     * parameters} binds.
     */
    public static JoinableWrite of(String sql, Parameters parameters) {
        Objects.requireNonNull(sql, "sql");
        Objects.requireNonNull(parameters, "parameters");
        return new JoinableWrite(sql, parameters, null);
    }

    /**
     * A write that cannot be joined, such as one a change journal captures: it always runs alone,
     * as {@code work}, which returns how many rows it changed.
     */
    public static JoinableWrite alone(DeadlineBoundDataSource.Work<Integer> work) {
        return new JoinableWrite(null, null, Objects.requireNonNull(work, "work"));
    }

    /** The statement to join, without {@code RETURNING}; empty if this write must run alone. */
    public Optional<String> sql() {
        return Optional.ofNullable(sql);
    }

    /**
     * Binds this write's parameters from index {@code first}.
     *
     * @return the index after its last parameter
     * @throws IllegalStateException if this write cannot be joined
     */
    public int bind(PreparedStatement statement, int first) throws SQLException {
        if (parameters == null) {
            throw new IllegalStateException("this write runs alone; it has no statement to join");
        }
        return parameters.bind(statement, first);
    }

    /**
     * Runs this write on its own, on {@code connection}, in whatever transaction the connection
     * has open.
     *
     * @return how many rows it changed
     */
    public int run(Connection connection) throws SQLException {
        if (alone != null) {
            return alone.run(connection);
        }
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            parameters.bind(statement, 1);
            return statement.executeUpdate();
        }
    }

    @Override
    public String toString() {
        return sql != null ? "JoinableWrite[" + sql + "]" : "JoinableWrite[alone]";
    }
}
