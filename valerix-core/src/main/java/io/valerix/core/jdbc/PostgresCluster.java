package io.valerix.core.jdbc;

import com.zaxxer.hikari.HikariDataSource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A private PostgreSQL cluster run with the machine's server binaries: {@code initdb} into a
 * directory of its own, a free loopback port, its unix socket inside that directory, {@code fsync}
 * and {@code synchronous_commit} on (an acknowledged commit survives power loss, not just
 * {@code kill -9}).
 *
 * <p>The cluster listens on 127.0.0.1 only and requires a password (SCRAM-SHA-256) generated at
 * {@code initdb} and kept beside the data in a file only the owner can read, so other local users
 * cannot connect. A directory that already holds a cluster is started again, with its data.
 *
 * <p>PostgreSQL refuses to run as root. When this JVM runs as root (CI does), {@code initdb} and
 * {@code pg_ctl} run as the {@code postgres} system user through {@code runuser}, in a data
 * directory that user owns.
 *
 * <p>{@link #close()} stops the server (fast shutdown); so does a JVM shutdown hook, so Ctrl-C or a
 * failing test run does not leave a server behind. A {@code kill -9} of the JVM does: the next
 * {@link #start} on the same directory stops the orphan first. Thread-safe.
 */
public final class PostgresCluster implements AutoCloseable {

    /** The superuser {@code initdb} creates; the only role the cluster has. */
    public static final String SUPERUSER = "valerix";

    private static final Logger log = LoggerFactory.getLogger(PostgresCluster.class);
    private static final String SERVICE_ACCOUNT = "postgres";
    private static final long COMMAND_TIMEOUT_SECONDS = 120;
    // The kernel limits a unix socket path to 107 bytes; PostgreSQL appends "/.s.PGSQL.<port>".
    private static final int MAX_SOCKET_DIR_LENGTH = 80;
    private static final int START_ATTEMPTS = 3;

    private final PostgresBinaries binaries;
    private final Path directory;
    private final Path data;
    private final Path logFile;
    private final boolean deleteOnClose;
    private final int maxConnections;
    private final boolean asServiceAccount;
    private final String password;
    private final Thread shutdownHook;
    private final java.time.Duration shutdownGrace;
    private final java.util.concurrent.CountDownLatch closed = new java.util.concurrent.CountDownLatch(1);
    private Path socketDirectory;
    private Path temporarySocketDirectory;
    private int port;
    private boolean stopped;

    private PostgresCluster(Builder builder) throws IOException {
        this.binaries = builder.binaries != null ? builder.binaries : PostgresBinaries.require();
        this.directory = builder.directory.toAbsolutePath().normalize();
        this.deleteOnClose = builder.deleteOnClose;
        this.maxConnections = builder.maxConnections;
        this.asServiceAccount = runningAsRoot();
        Path cluster = directory.resolve("cluster");
        this.data = cluster.resolve("data");
        this.logFile = cluster.resolve("postgres.log");
        prepareDirectories(cluster);
        this.password = initdbIfNeeded(cluster);
        this.shutdownGrace = builder.shutdownGrace;
        this.shutdownHook = new Thread(this::stopAtExit, "postgres-cluster-stop");
    }

    /** A builder for a cluster in {@code directory} (created if missing; reused if it holds one). */
    public static Builder builder(Path directory) {
        return new Builder(directory);
    }

    /** Starts a cluster in {@code directory} with the defaults; shortcut for {@code builder(directory).start()}. */
    public static PostgresCluster start(Path directory) {
        return builder(directory).start();
    }

    /** The port the server listens on (127.0.0.1). */
    public synchronized int port() {
        return port;
    }

    /** The password of {@link #SUPERUSER}. */
    public String password() {
        return password;
    }

    /** The directory the cluster lives in. */
    public Path directory() {
        return directory;
    }

    /** The JDBC URL of {@code database} on this cluster. */
    public String jdbcUrl(String database) {
        requireName(database);
        return "jdbc:postgresql://127.0.0.1:" + port() + "/" + database;
    }

    /**
     * Creates {@code database} unless it exists, and returns its JDBC URL.
     *
     * @throws IllegalArgumentException for a name outside {@code [a-z][a-z0-9_]*}
     */
    public String createDatabase(String database) {
        requireName(database);
        try (Connection connection = DriverManager.getConnection(jdbcUrl("postgres"), SUPERUSER, password);
                Statement statement = connection.createStatement()) {
            statement.execute("CREATE DATABASE " + database);
        } catch (SQLException e) {
            if (!"42P04".equals(e.getSQLState())) { // duplicate_database: a restarted cluster keeps its databases
                throw new IllegalStateException("creating database " + database + " failed: " + e.getMessage(), e);
            }
        }
        return jdbcUrl(database);
    }

    /**
     * Drops {@code database} if it exists, ending its sessions first ({@code WITH (FORCE)}), for
     * scratch databases that must not outlive their use.
     *
     * @throws IllegalArgumentException for a name outside {@code [a-z][a-z0-9_]*}
     */
    public void dropDatabase(String database) {
        requireName(database);
        try (Connection connection = DriverManager.getConnection(jdbcUrl("postgres"), SUPERUSER, password);
                Statement statement = connection.createStatement()) {
            statement.execute("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
        } catch (SQLException e) {
            throw new IllegalStateException("dropping database " + database + " failed: " + e.getMessage(), e);
        }
    }

    /** A pooled data source for {@code database} (which must exist); the caller closes it. */
    public HikariDataSource dataSource(String database, int maxPoolSize) {
        return PostgresDatabase.open(jdbcUrl(database), SUPERUSER, password, maxPoolSize);
    }

    /** Stops the server (fast shutdown: open transactions roll back) and, if so built, deletes the directory. */
    @Override
    public void close() {
        synchronized (this) {
            if (stopped) {
                return;
            }
        }
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException alreadyShuttingDown) {
            // The hook is running or about to; stopping twice is harmless.
        }
        try {
            stop();
        } finally {
            closed.countDown();
        }
    }

    private synchronized void stop() {
        if (stopped) {
            return;
        }
        stopped = true;
        try {
            // A cluster about to be deleted needs no shutdown checkpoint: after a test run that created
            // many databases, fsyncing their files took 30 s. "immediate" skips it (like a crash, which
            // WAL makes safe); a cluster that is kept stops "fast", with the checkpoint, to restart quickly.
            String mode = deleteOnClose ? "immediate" : "fast";
            run(List.of(
                    binaries.binary("pg_ctl").toString(), "-D", data.toString(), "-m", mode, "-w", "-t", "60", "stop"));
            log.info("stopped PostgreSQL cluster in {}", directory);
        } catch (RuntimeException e) {
            log.warn("stopping the PostgreSQL cluster in {} failed: {}", directory, e.getMessage());
        }
        try {
            if (temporarySocketDirectory != null) {
                deleteRecursively(temporarySocketDirectory);
            }
            if (deleteOnClose) {
                deleteRecursively(directory);
            }
        } catch (IOException e) {
            log.warn("deleting {} failed: {}", directory, e.getMessage());
        }
    }

    /**
     * JVM shutdown hooks run concurrently: the owner's own hook (closing its services, then this
     * cluster) gets the grace period to do it in order, so requests in flight are not cut off by the
     * database going away first; if nobody closes the cluster by then, the hook stops it.
     */
    private void stopAtExit() {
        try {
            if (!shutdownGrace.isZero() && closed.await(shutdownGrace.toMillis(), TimeUnit.MILLISECONDS)) {
                return;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            stop();
        } catch (RuntimeException ignored) {
            // A shutdown hook has nobody to report to beyond the log line stop() wrote.
        }
    }

    private synchronized void startServer() {
        stopOrphan();
        IllegalStateException last = null;
        for (int attempt = 1; attempt <= START_ATTEMPTS; attempt++) {
            int candidate = freePort();
            try {
                run(List.of(
                        binaries.binary("pg_ctl").toString(),
                        "-D",
                        data.toString(),
                        "-l",
                        logFile.toString(),
                        "-w",
                        "-t",
                        "60",
                        "-o",
                        "-p " + candidate,
                        "start"));
                port = candidate;
                Runtime.getRuntime().addShutdownHook(shutdownHook);
                log.info("started PostgreSQL cluster in {} on 127.0.0.1:{}", directory, port);
                return;
            } catch (IllegalStateException e) {
                // Most likely another process took the free port between our probe and the bind.
                last = e;
            }
        }
        throw new IllegalStateException(last.getMessage() + "\n--- " + logFile + " (tail) ---\n" + logTail(), last);
    }

    /** A server left running by a JVM that was killed holds the data directory; stop it first. */
    private void stopOrphan() {
        if (!Files.exists(data.resolve("postmaster.pid"))) {
            return;
        }
        List<String> status = List.of(binaries.binary("pg_ctl").toString(), "-D", data.toString(), "status");
        if (exitCode(status) == 0) {
            log.warn("a PostgreSQL server from an earlier run still holds {}; stopping it", data);
            run(List.of(
                    binaries.binary("pg_ctl").toString(),
                    "-D",
                    data.toString(),
                    "-m",
                    "fast",
                    "-w",
                    "-t",
                    "60",
                    "stop"));
        }
    }

    private void prepareDirectories(Path cluster) throws IOException {
        Files.createDirectories(directory);
        boolean fresh = !Files.exists(cluster);
        Files.createDirectories(cluster);
        socketDirectory = cluster;
        if (cluster.toString().length() > MAX_SOCKET_DIR_LENGTH) {
            temporarySocketDirectory = Files.createTempDirectory("vxpg");
            socketDirectory = temporarySocketDirectory;
        }
        if (asServiceAccount) {
            // The service account must reach its directory: traverse (not list) the one above it.
            addTraverse(directory);
            if (temporarySocketDirectory != null) {
                addTraverse(temporarySocketDirectory);
                Files.setOwner(temporarySocketDirectory, serviceAccount());
            }
            if (fresh || !Files.exists(data)) {
                Files.setOwner(cluster, serviceAccount());
            }
            if (exitCode(List.of("test", "-w", cluster.toString())) != 0) {
                throw new IllegalStateException("running as root, PostgreSQL runs as the '" + SERVICE_ACCOUNT
                        + "' user, which cannot write " + cluster
                        + "; choose a directory whose parents that user can traverse (e.g. under /tmp or /var/lib)");
            }
        } else {
            Files.setPosixFilePermissions(cluster, PosixFilePermissions.fromString("rwx------"));
        }
    }

    private String initdbIfNeeded(Path cluster) throws IOException {
        Path passwordFile = directory.resolve("superuser-password");
        if (Files.exists(data.resolve("PG_VERSION"))) {
            if (!Files.exists(passwordFile)) {
                throw new IllegalStateException(
                        data + " holds a cluster but " + passwordFile + " is missing; cannot connect to it");
            }
            return Files.readString(passwordFile, StandardCharsets.UTF_8).strip();
        }
        byte[] secret = new byte[18];
        new SecureRandom().nextBytes(secret);
        String generated = HexFormat.of().formatHex(secret);
        Files.writeString(passwordFile, generated + "\n", StandardCharsets.UTF_8);
        Files.setPosixFilePermissions(passwordFile, PosixFilePermissions.fromString("rw-------"));
        // initdb reads the password from a file; the service account must read it, only for a moment.
        Path pwfile = cluster.resolve("initdb-pwfile");
        Files.writeString(pwfile, generated + "\n", StandardCharsets.UTF_8);
        Files.setPosixFilePermissions(pwfile, PosixFilePermissions.fromString("rw-------"));
        if (asServiceAccount) {
            Files.setOwner(pwfile, serviceAccount());
        }
        try {
            run(List.of(
                    binaries.binary("initdb").toString(),
                    "-D",
                    data.toString(),
                    "-U",
                    SUPERUSER,
                    "--pwfile=" + pwfile,
                    "--auth-host=scram-sha-256",
                    "--auth-local=scram-sha-256",
                    "-E",
                    "UTF8",
                    "--no-locale"));
        } finally {
            Files.deleteIfExists(pwfile);
        }
        // Appended, so these win over initdb's defaults. fsync and synchronous_commit are the
        // defaults already; spelled out because durability is the point of the test matrix.
        String settings = String.join(
                "\n",
                "",
                "# valerix: a private cluster",
                "listen_addresses = '127.0.0.1'",
                "unix_socket_directories = '" + socketDirectory.toString().replace("'", "''") + "'",
                "fsync = on",
                "synchronous_commit = on",
                "full_page_writes = on",
                "max_connections = " + maxConnections,
                "");
        append(data.resolve("postgresql.conf"), settings);
        log.info("initialised a PostgreSQL cluster in {} with {}", data, binaries);
        return generated;
    }

    private void append(Path file, String text) throws IOException {
        // Root may write the service account's file; an append leaves its owner and mode as they were.
        Files.writeString(file, text, StandardCharsets.UTF_8, java.nio.file.StandardOpenOption.APPEND);
    }

    private String logTail() {
        try {
            List<String> lines = Files.readAllLines(logFile, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
        } catch (IOException e) {
            return "(unreadable: " + e.getMessage() + ")";
        }
    }

    private List<String> asOwner(List<String> command) {
        if (!asServiceAccount) {
            return command;
        }
        List<String> wrapped = new ArrayList<>(List.of("runuser", "-u", SERVICE_ACCOUNT, "--"));
        wrapped.addAll(command);
        return wrapped;
    }

    private void run(List<String> command) {
        ProcessResult result = execute(asOwner(command));
        if (result.exitCode != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed with exit code " + result.exitCode
                    + ": " + result.output.strip());
        }
    }

    private int exitCode(List<String> command) {
        return execute(asOwner(command)).exitCode;
    }

    private record ProcessResult(int exitCode, String output) {}

    private ProcessResult execute(List<String> command) {
        try {
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
            // The service account cannot enter root's working directory; run from the cluster's own.
            builder.directory(data.getParent().toFile());
            builder.environment().put("LC_ALL", "C");
            Process process = builder.start();
            process.getOutputStream().close();
            // pg_ctl start leaves the server holding no pipe of ours (-l sends its output to the log),
            // so reading to the end returns when pg_ctl exits.
            byte[] out = process.getInputStream().readAllBytes();
            if (!process.waitFor(COMMAND_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException(
                        String.join(" ", command) + " did not finish in " + COMMAND_TIMEOUT_SECONDS + " s");
            }
            return new ProcessResult(process.exitValue(), new String(out, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("running " + String.join(" ", command) + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running " + String.join(" ", command), e);
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("finding a free loopback port failed", e);
        }
    }

    private static boolean runningAsRoot() {
        try {
            return Integer.valueOf(0).equals(Files.getAttribute(Path.of("/proc/self"), "unix:uid"));
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            return "root".equals(System.getProperty("user.name"));
        }
    }

    private static UserPrincipal serviceAccount() throws IOException {
        try {
            return Path.of("/").getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName(SERVICE_ACCOUNT);
        } catch (java.nio.file.attribute.UserPrincipalNotFoundException e) {
            throw new IllegalStateException(
                    "running as root, PostgreSQL must run as the '" + SERVICE_ACCOUNT
                            + "' system user, which does not exist (Debian's postgresql package creates it)",
                    e);
        }
    }

    private static void addTraverse(Path directory) throws IOException {
        var permissions = Files.getPosixFilePermissions(directory);
        permissions.add(java.nio.file.attribute.PosixFilePermission.OTHERS_EXECUTE);
        Files.setPosixFilePermissions(directory, permissions);
    }

    private static void requireName(String database) {
        Objects.requireNonNull(database, "database");
        if (!database.matches("[a-z][a-z0-9_]{0,62}")) {
            throw new IllegalArgumentException(
                    "database must be lower-case letters, digits and '_', but was '" + database + "'");
        }
    }

    private static void deleteRecursively(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }

    @Override
    public String toString() {
        return "PostgresCluster[" + directory + ", 127.0.0.1:" + port() + "]";
    }

    /** Options for a {@link PostgresCluster}; {@link #start()} validates them and starts the server. */
    public static final class Builder {
        /** Enough for several services' pools plus a test run's fresh databases. */
        public static final int DEFAULT_MAX_CONNECTIONS = 200;

        private final Path directory;
        private PostgresBinaries binaries;
        private boolean deleteOnClose;
        private int maxConnections = DEFAULT_MAX_CONNECTIONS;
        private java.time.Duration shutdownGrace = java.time.Duration.ZERO;

        private Builder(Path directory) {
            this.directory = Objects.requireNonNull(directory, "directory");
        }

        /** The binaries to run; default {@link PostgresBinaries#require()}. */
        public Builder binaries(PostgresBinaries binaries) {
            this.binaries = Objects.requireNonNull(binaries, "binaries");
            return this;
        }

        /** Delete the directory, data and all, after stopping (tests); default false (the CLI keeps its data). */
        public Builder deleteOnClose(boolean deleteOnClose) {
            this.deleteOnClose = deleteOnClose;
            return this;
        }

        /** The server's {@code max_connections}, set at {@code initdb}; default {@value #DEFAULT_MAX_CONNECTIONS}. */
        public Builder maxConnections(int maxConnections) {
            if (maxConnections < 10) {
                throw new IllegalArgumentException("maxConnections must be at least 10, but was " + maxConnections);
            }
            this.maxConnections = maxConnections;
            return this;
        }

        /**
         * How long the JVM shutdown hook waits for the owner to {@link #close()} the cluster before
         * stopping it itself; default zero (stop at once). Give the owner's own shutdown (draining
         * requests) time to finish first.
         */
        public Builder shutdownGrace(java.time.Duration grace) {
            java.util.Objects.requireNonNull(grace, "grace");
            if (grace.isNegative()) {
                throw new IllegalArgumentException("shutdown grace must not be negative, but was " + grace);
            }
            this.shutdownGrace = grace;
            return this;
        }

        /**
         * Initialises the cluster if the directory holds none, and starts it.
         *
         * @throws IllegalStateException without PostgreSQL binaries, or when the server does not start
         *     (the message carries the tail of its log)
         */
        public PostgresCluster start() {
            PostgresCluster cluster;
            try {
                cluster = new PostgresCluster(this);
            } catch (IOException e) {
                throw new UncheckedIOException("preparing a PostgreSQL cluster in " + directory + " failed", e);
            }
            cluster.startServer();
            return cluster;
        }
    }
}
