package io.valerix.core.jdbc;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Finds the machine's PostgreSQL server binaries ({@code initdb}, {@code pg_ctl}, {@code postgres})
 * the way a user would: {@code $VALERIX_PG_BINDIR}, then {@code pg_config --bindir}, then the newest
 * {@code /usr/lib/postgresql/<version>/bin} (Debian and Ubuntu keep the server binaries there, off
 * the PATH), then the PATH.
 *
 * <p>Stateless; thread-safe.
 */
public final class PostgresBinaries {

    /** Environment variable naming a directory that holds {@code initdb}, {@code pg_ctl} and {@code postgres}. */
    public static final String BINDIR_ENV = "VALERIX_PG_BINDIR";

    private static final List<String> REQUIRED = List.of("initdb", "pg_ctl", "postgres");

    private final Path directory;

    private PostgresBinaries(Path directory) {
        this.directory = directory;
    }

    /** The directory that holds the binaries. */
    public Path directory() {
        return directory;
    }

    /** The path of binary {@code name} (e.g. {@code "pgbench"}) in that directory. */
    public Path binary(String name) {
        return directory.resolve(name);
    }

    /** The binaries, or empty with nothing found; {@link #describeSearch()} says where it looked. */
    public static Optional<PostgresBinaries> find() {
        for (Path candidate : candidates()) {
            if (complete(candidate)) {
                return Optional.of(
                        new PostgresBinaries(candidate.toAbsolutePath().normalize()));
            }
        }
        return Optional.empty();
    }

    /** The binaries, or an {@link IllegalStateException} that says where they were looked for and how to get them. */
    public static PostgresBinaries require() {
        return find().orElseThrow(() -> new IllegalStateException(
                "no PostgreSQL server binaries (initdb, pg_ctl, postgres) found; looked in " + describeSearch()
                        + ". Install them (Debian/Ubuntu: apt-get install postgresql) or set " + BINDIR_ENV));
    }

    /** Where {@link #find()} looks, in order, for error messages. */
    public static String describeSearch() {
        return "$" + BINDIR_ENV
                + ", `pg_config --bindir`, /usr/lib/postgresql/*/bin, /usr/local/pgsql/bin and the PATH";
    }

    private static List<Path> candidates() {
        List<Path> candidates = new ArrayList<>();
        String env = System.getenv(BINDIR_ENV);
        if (env != null && !env.isBlank()) {
            candidates.add(Path.of(env));
        }
        pgConfigBindir().ifPresent(candidates::add);
        Path debian = Path.of("/usr/lib/postgresql");
        if (Files.isDirectory(debian)) {
            try (Stream<Path> versions = Files.list(debian)) {
                versions.map(v -> v.resolve("bin"))
                        .sorted(Comparator.comparing((Path p) ->
                                        majorVersion(p.getParent().getFileName().toString()))
                                .reversed())
                        .forEach(candidates::add);
            } catch (IOException ignored) {
                // An unreadable directory is one place less to look.
            }
        }
        candidates.add(Path.of("/usr/local/pgsql/bin"));
        String path = System.getenv("PATH");
        if (path != null) {
            for (String entry : path.split(java.io.File.pathSeparator)) {
                if (!entry.isBlank()) {
                    candidates.add(Path.of(entry));
                }
            }
        }
        return candidates;
    }

    private static int majorVersion(String name) {
        try {
            return Integer.parseInt(name.replaceAll("[^0-9].*", ""));
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static boolean complete(Path directory) {
        return REQUIRED.stream()
                .allMatch(name ->
                        Files.isExecutable(directory.resolve(name)) && !Files.isDirectory(directory.resolve(name)));
    }

    private static Optional<Path> pgConfigBindir() {
        // pg_config may be missing or belong to the client libraries only; both are fine, the other
        // places are still searched.
        try {
            Process process = new ProcessBuilder("pg_config", "--bindir")
                    .redirectErrorStream(true)
                    .start();
            process.getOutputStream().close();
            byte[] out = process.getInputStream().readNBytes(4096);
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            } else if (process.exitValue() == 0) {
                String dir = new String(out, StandardCharsets.UTF_8).strip();
                if (!dir.isEmpty()) {
                    return Optional.of(Path.of(dir));
                }
            }
        } catch (IOException e) {
            // Not installed.
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return Optional.empty();
    }

    @Override
    public String toString() {
        return "PostgreSQL binaries in " + directory;
    }
}
