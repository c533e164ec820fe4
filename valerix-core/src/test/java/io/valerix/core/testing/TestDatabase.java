package io.valerix.core.testing;

import com.zaxxer.hikari.HikariDataSource;
import io.valerix.core.jdbc.H2Database;
import io.valerix.core.jdbc.PostgresDatabase;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * One database of a test, on either engine, that can be opened any number of times (a second
 * pool, a "restarted" service). Immutable; the pools it opens belong to the caller.
 */
public final class TestDatabase {

    private final DatabaseEngine engine;
    private final Path h2Directory;
    private final String name;
    private final String jdbcUrl;
    private final String user;
    private final String password;

    private TestDatabase(
            DatabaseEngine engine, Path h2Directory, String name, String jdbcUrl, String user, String password) {
        this.engine = engine;
        this.h2Directory = h2Directory;
        this.name = name;
        this.jdbcUrl = jdbcUrl;
        this.user = user;
        this.password = password;
    }

    static TestDatabase h2(Path directory, String name) {
        Objects.requireNonNull(directory, "directory");
        return new TestDatabase(DatabaseEngine.H2, directory, name, null, null, null);
    }

    static TestDatabase postgres(String name, String jdbcUrl, String user, String password) {
        return new TestDatabase(DatabaseEngine.POSTGRESQL, null, name, jdbcUrl, user, password);
    }

    /** A new pool of at most {@code maxPoolSize} connections to this database; the caller closes it. */
    public HikariDataSource open(int maxPoolSize) {
        return switch (engine) {
            case H2 -> H2Database.open(h2Directory, name, maxPoolSize);
            case POSTGRESQL -> PostgresDatabase.open(jdbcUrl, user, password, maxPoolSize);
        };
    }

    public DatabaseEngine engine() {
        return engine;
    }

    /**
     * Arguments that let a child JVM open this database with {@link #fromArguments}: the engine,
     * then the H2 directory and name, or the PostgreSQL URL, user and password.
     */
    public List<String> toArguments() {
        List<String> args = new ArrayList<>();
        args.add(engine.name());
        if (engine == DatabaseEngine.H2) {
            args.add(h2Directory.toString());
            args.add(name);
        } else {
            args.add(jdbcUrl);
            args.add(user);
            args.add(password);
        }
        return args;
    }

    /** The database {@link #toArguments} described, read from {@code args} starting at {@code from}. */
    public static TestDatabase fromArguments(String[] args, int from) {
        DatabaseEngine engine = DatabaseEngine.valueOf(args[from]);
        return engine == DatabaseEngine.H2
                ? h2(Path.of(args[from + 1]), args[from + 2])
                : postgres("child", args[from + 1], args[from + 2], args[from + 3]);
    }

    /** How many arguments {@link #toArguments} wrote for {@code engine}. */
    public static int argumentCount(String engineName) {
        return DatabaseEngine.valueOf(engineName) == DatabaseEngine.H2 ? 3 : 4;
    }

    @Override
    public String toString() {
        return engine == DatabaseEngine.H2 ? "H2 " + h2Directory.resolve(name) : jdbcUrl;
    }
}
