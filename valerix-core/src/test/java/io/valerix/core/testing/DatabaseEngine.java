package io.valerix.core.testing;

import java.nio.file.Path;

/**
 * The engines every store test runs on. Use with JUnit's {@code @ParameterizedClass} and
 * {@code @EnumSource(DatabaseEngine.class)} so a whole test class runs once per engine:
 *
 * <pre>{@code
 * @ParameterizedClass
 * @EnumSource(DatabaseEngine.class)
 * class MyStoreTest {
 *   @Parameter DatabaseEngine engine;
 *   @TempDir Path dir;
 *   @BeforeEach void open() { db = engine.create(dir, "orders").open(8); }
 * }
 * }</pre>
 *
 * <p>{@link #POSTGRESQL} uses this JVM's private cluster ({@link TestPostgres}); without
 * PostgreSQL binaries its tests are skipped, or fail when {@code CI=true}.
 */
public enum DatabaseEngine {
    /** Embedded H2 files, durable as {@code H2Database.open} sets them up. */
    H2,
    /** A fresh database on the test JVM's private PostgreSQL cluster. */
    POSTGRESQL;

    /**
     * A new, empty database. On H2 it is the file {@code name} in {@code directory} (so creating the
     * same name twice in one directory is the same database, as a restarted service would see it);
     * on PostgreSQL a fresh database named after {@code name}, and {@code directory} is unused.
     */
    public TestDatabase create(Path directory, String name) {
        return switch (this) {
            case H2 -> TestDatabase.h2(directory, name);
            case POSTGRESQL -> TestPostgres.freshDatabase(name);
        };
    }
}
