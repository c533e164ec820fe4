package io.valerix.order;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.util.List;
import java.util.Locale;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;

/**
 * A {@link DataSource} over a real one that counts the commits that write: an explicit {@code
 * commit()} after at least one writing statement, and every writing statement run in auto-commit
 * mode (each is a commit of its own). Reads, sequence calls and session settings are not writes:
 * they make the database write nothing durable. It also keeps the SQL of every statement run
 * through it, session settings ({@code SET …}) left out.
 */
final class CommitCountingDataSource {

    private final AtomicInteger commits = new AtomicInteger();
    private final Queue<String> statements = new ConcurrentLinkedQueue<>();
    private final DataSource proxy;

    private CommitCountingDataSource(DataSource real) {
        this.proxy = proxy(DataSource.class, real, (target, method, args) -> {
            Object result = invoke(target, method, args);
            return result instanceof Connection connection ? connection(connection) : result;
        });
    }

    static CommitCountingDataSource over(DataSource real) {
        return new CommitCountingDataSource(real);
    }

    DataSource dataSource() {
        return proxy;
    }

    /** Writing commits so far. */
    int commits() {
        return commits.get();
    }

    /** The SQL of the statements run so far, in order, without session settings. */
    List<String> statements() {
        return List.copyOf(statements);
    }

    private Connection connection(Connection real) {
        boolean[] wrote = new boolean[1];
        Runnable written = () -> {
            try {
                if (real.getAutoCommit()) {
                    commits.incrementAndGet();
                } else {
                    wrote[0] = true;
                }
            } catch (java.sql.SQLException e) {
                throw new IllegalStateException(e);
            }
        };
        return proxy(Connection.class, real, (target, method, args) -> {
            switch (method.getName()) {
                case "commit" -> {
                    Object result = invoke(target, method, args);
                    if (wrote[0]) {
                        commits.incrementAndGet();
                    }
                    wrote[0] = false;
                    return result;
                }
                case "rollback" -> wrote[0] = false;
                case "prepareStatement" -> {
                    PreparedStatement statement = (PreparedStatement) invoke(target, method, args);
                    String sql = (String) args[0];
                    boolean write = isWrite(sql);
                    return proxy(PreparedStatement.class, statement, (s, m, a) -> {
                        if (!m.getName().startsWith("execute")) {
                            return invoke(s, m, a);
                        }
                        log(sql);
                        Object result = invoke(s, m, a);
                        if (write) {
                            written.run();
                        }
                        return result;
                    });
                }
                case "createStatement" -> {
                    Statement statement = (Statement) invoke(target, method, args);
                    return proxy(Statement.class, statement, (s, m, a) -> {
                        Object result = invoke(s, m, a);
                        if (m.getName().startsWith("execute")
                                && a != null
                                && a.length > 0
                                && a[0] instanceof String sql) {
                            log(sql);
                            if (isWrite(sql)) {
                                written.run();
                            }
                        }
                        return result;
                    });
                }
                default -> {}
            }
            return invoke(target, method, args);
        });
    }

    private void log(String sql) {
        if (!sql.stripLeading().toUpperCase(Locale.ROOT).startsWith("SET ")) {
            statements.add(sql);
        }
    }

    private static boolean isWrite(String sql) {
        String verb = sql.stripLeading().toUpperCase(Locale.ROOT);
        if (verb.startsWith("WITH")) {
            // A data-modifying WITH (PostgreSQL) writes as its parts do.
            return verb.contains("INSERT ") || verb.contains("UPDATE ") || verb.contains("DELETE ");
        }
        return verb.startsWith("INSERT")
                || verb.startsWith("UPDATE")
                || verb.startsWith("DELETE")
                || verb.startsWith("MERGE");
    }

    private static Object invoke(Object target, Method method, Object[] args) throws Throwable {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    @SuppressWarnings("unchecked")
    private static <T> T proxy(Class<T> type, Object target, Handler handler) {
        return (T) Proxy.newProxyInstance(
                type.getClassLoader(), new Class<?>[] {type}, (p, m, a) -> handler.handle(target, m, a));
    }

    @FunctionalInterface
    private interface Handler {
        Object handle(Object target, Method method, Object[] args) throws Throwable;
    }
}
