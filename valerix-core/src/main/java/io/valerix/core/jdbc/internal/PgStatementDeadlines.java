package io.valerix.core.jdbc.internal;

import io.valerix.core.deadline.Deadline;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.CallableStatement;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import org.postgresql.jdbc.PgStatement;

/**
 * PostgreSQL's bound on statements: each statement a connection runs is given, just before it
 * executes, the time its deadline has left, in milliseconds, as the driver's query timeout. When it
 * runs out the driver cancels the statement, lock waits included (SQLSTATE 57014).
 *
 * <p>Why not {@code SET LOCAL statement_timeout}: that is a round trip of its own in every
 * transaction, about a fifth of an order's round trips, and it needs a transaction, so a plain read
 * would cost a BEGIN and a COMMIT as well. The driver's timer costs no round trip.
 *
 * <p>Only loaded when the engine is PostgreSQL, so the driver stays an optional dependency.
 */
final class PgStatementDeadlines {

    private PgStatementDeadlines() {}

    /** {@code connection}, whose statements are bounded by {@code deadline}. */
    static Connection bound(Connection connection, Deadline deadline) {
        return (Connection) Proxy.newProxyInstance(
                PgStatementDeadlines.class.getClassLoader(),
                new Class<?>[] {Connection.class},
                (proxy, method, args) -> {
                    Object result = invoke(connection, method, args);
                    return result instanceof Statement statement
                            ? bound(statement, method.getReturnType(), deadline)
                            : result;
                });
    }

    private static Statement bound(Statement statement, Class<?> type, Deadline deadline) {
        Class<?> kind = CallableStatement.class.isAssignableFrom(type)
                ? CallableStatement.class
                : PreparedStatement.class.isAssignableFrom(type) ? PreparedStatement.class : Statement.class;
        return (Statement) Proxy.newProxyInstance(
                PgStatementDeadlines.class.getClassLoader(), new Class<?>[] {kind}, (proxy, method, args) -> {
                    if (method.getName().startsWith("execute")) {
                        statement
                                .unwrap(PgStatement.class)
                                .setQueryTimeoutMs(SessionTimeouts.remainingMillis(deadline));
                    }
                    return invoke(statement, method, args);
                });
    }

    private static Object invoke(Object target, Method method, Object[] args) throws Throwable {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }
}
