package io.valerix.core.testing;

import io.valerix.core.jdbc.PostgresBinaries;
import io.valerix.core.jdbc.PostgresCluster;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * The test JVM's private PostgreSQL cluster: started on first use with the machine's binaries
 * (found as {@link PostgresBinaries} finds them), in a temporary directory, on a free loopback
 * port, with fsync on; stopped and deleted when the JVM exits. Test classes share it and each
 * takes fresh databases, which is much cheaper than a cluster per class.
 *
 * <p>Without PostgreSQL binaries, tests that ask for it are skipped with a message that says how
 * to install them; with the environment variable {@code CI=true} they fail instead, so a CI
 * machine that lost its PostgreSQL cannot pass by skipping. No test uses a server that was already
 * running. Thread-safe.
 */
public final class TestPostgres {

    private static final AtomicInteger DATABASES = new AtomicInteger();
    private static PostgresCluster cluster;
    private static RuntimeException startFailure;

    private TestPostgres() {}

    /** The running cluster; skips (or, with {@code CI=true}, fails) the calling test without binaries. */
    public static synchronized PostgresCluster cluster() {
        if (cluster != null) {
            return cluster;
        }
        if (startFailure != null) {
            throw new IllegalStateException(
                    "the test PostgreSQL cluster failed to start earlier in this JVM", startFailure);
        }
        requireBinaries();
        try {
            cluster = PostgresCluster.builder(Files.createTempDirectory("valerix-pg-"))
                    .deleteOnClose(true)
                    .start();
        } catch (IOException e) {
            startFailure = new UncheckedIOException(e);
            throw startFailure;
        } catch (RuntimeException e) {
            startFailure = e;
            throw e;
        }
        return cluster;
    }

    /**
     * Returns if the machine has PostgreSQL server binaries; otherwise skips the calling test, or
     * fails it when {@code CI=true}. For tests that run PostgreSQL through other code (the CLI).
     */
    public static void requireBinaries() {
        if (PostgresBinaries.find().isPresent()) {
            return;
        }
        String message =
                "PostgreSQL tests need the PostgreSQL server binaries (initdb, pg_ctl, postgres); none found in "
                        + PostgresBinaries.describeSearch()
                        + ". Install them (Debian/Ubuntu: apt-get install postgresql) or set "
                        + PostgresBinaries.BINDIR_ENV + ".";
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            Assertions.fail(message + " CI=true: failing instead of skipping.");
        }
        Assumptions.abort(message + " Skipped.");
    }

    /**
     * Lets the {@code postgres} system user traverse {@code directory} and its parents (adds
     * others-execute, not read), for tests that run a cluster under a JUnit {@code @TempDir} (mode
     * 0700) while running as root: PostgreSQL runs as that user then and must reach its data
     * directory. Does nothing when not root.
     */
    public static void letTheServerReach(Path directory) {
        Path temp =
                Path.of(System.getProperty("java.io.tmpdir")).toAbsolutePath().normalize();
        Path target = directory.toAbsolutePath().normalize();
        // Only below the temporary directory: a test has no business opening up anything else.
        if (!"root".equals(System.getProperty("user.name")) || !target.startsWith(temp)) {
            return;
        }
        try {
            for (Path dir = target; dir != null && !dir.equals(temp); dir = dir.getParent()) {
                if (Files.isDirectory(dir)) {
                    Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(dir);
                    if (permissions.add(PosixFilePermission.OTHERS_EXECUTE)) {
                        Files.setPosixFilePermissions(dir, permissions);
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("making " + directory + " reachable for the postgres user failed", e);
        }
    }

    /** A new, empty database whose name starts with {@code prefix}. */
    public static TestDatabase freshDatabase(String prefix) {
        PostgresCluster running = cluster();
        String name = prefix.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_]", "_") + "_" + DATABASES.incrementAndGet();
        if (!Character.isLetter(name.charAt(0))) {
            name = "db_" + name;
        }
        String url = running.createDatabase(name);
        return TestDatabase.postgres(name, url, PostgresCluster.SUPERUSER, running.password());
    }
}
