package io.valerix.core.backup.internal;

import io.valerix.core.backup.BackupException;
import io.valerix.core.jdbc.PostgresBinaries;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.UserPrincipal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Runs PostgreSQL's own tools. Client tools ({@code pg_basebackup}, {@code pg_receivewal},
 * {@code psql}) run as the caller, with the password in {@code PGPASSWORD} (never on a command
 * line other users can read). The server ({@code pg_ctl}) refuses to run as root, so when this
 * JVM is root it runs as the {@code postgres} system user through {@code runuser}, as {@link
 * io.valerix.core.jdbc.PostgresCluster} does.
 */
public final class PgTools {

    /** The system user the server runs as when the JVM is root (Debian's postgresql package creates it). */
    public static final String SERVICE_ACCOUNT = "postgres";

    private final PostgresBinaries binaries;
    private final boolean root;

    public PgTools(PostgresBinaries binaries) {
        this.binaries = binaries;
        this.root = runningAsRoot();
    }

    public PostgresBinaries binaries() {
        return binaries;
    }

    /** Whether server commands run as {@link #SERVICE_ACCOUNT}. */
    public boolean asServiceAccount() {
        return root;
    }

    /** The path of {@code tool}. */
    public String tool(String tool) {
        return binaries.binary(tool).toString();
    }

    /** The output of a client tool; throws with that output if it fails. */
    public String client(List<String> command, String password, Duration timeout) {
        return run(command, password, timeout, false);
    }

    /** The output of a server tool (as the service account when root); throws with that output if it fails. */
    public String server(List<String> command, Duration timeout) {
        return run(command, null, timeout, true);
    }

    /** The exit code of a server tool. */
    public int serverExitCode(List<String> command, Duration timeout) {
        return execute(command, null, timeout, true).exitCode();
    }

    /**
     * Hands {@code tree} to the service account (when root) and makes {@code dataDirectory} 0700,
     * as the server demands; lets that account traverse the directories from {@code tree} up to
     * {@code openUpTo} (ours), and checks that it can reach the data directory through the rest.
     *
     * @throws BackupException if the service account cannot reach it
     */
    public void handToServer(Path tree, Path dataDirectory, Path openUpTo) throws IOException {
        if (root) {
            UserPrincipal owner =
                    tree.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName(SERVICE_ACCOUNT);
            try (Stream<Path> paths = Files.walk(tree)) {
                for (Path path : paths.toList()) {
                    Files.setOwner(path, owner);
                }
            }
            Path top = openUpTo.toAbsolutePath().normalize();
            for (Path dir = tree.toAbsolutePath().normalize().getParent();
                    dir != null && dir.startsWith(top);
                    dir = dir.getParent()) {
                Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(dir);
                if (permissions.add(PosixFilePermission.OTHERS_EXECUTE)) {
                    Files.setPosixFilePermissions(dir, permissions);
                }
            }
        }
        Files.setPosixFilePermissions(
                dataDirectory,
                Set.of(
                        PosixFilePermission.OWNER_READ,
                        PosixFilePermission.OWNER_WRITE,
                        PosixFilePermission.OWNER_EXECUTE));
        if (root && serverExitCode(List.of("test", "-x", dataDirectory.toString()), Duration.ofSeconds(30)) != 0) {
            throw new BackupException("running as root, PostgreSQL runs as the '" + SERVICE_ACCOUNT
                    + "' user, which cannot reach " + dataDirectory
                    + "; choose a directory whose parents that user can traverse (e.g. under /tmp or /var/lib)");
        }
    }

    private String run(List<String> command, String password, Duration timeout, boolean asServer) {
        Result result = execute(command, password, timeout, asServer);
        if (result.exitCode() != 0) {
            throw new BackupException(Path.of(command.getFirst()).getFileName() + " failed with exit code "
                    + result.exitCode() + ": " + result.output().strip());
        }
        return result.output();
    }

    private record Result(int exitCode, String output) {}

    private Result execute(List<String> command, String password, Duration timeout, boolean asServer) {
        List<String> full = new ArrayList<>();
        if (asServer && root) {
            full.addAll(List.of("runuser", "-u", SERVICE_ACCOUNT, "--"));
        }
        full.addAll(command);
        try {
            ProcessBuilder builder = new ProcessBuilder(full).redirectErrorStream(true);
            // The service account cannot enter root's working directory.
            builder.directory(Path.of("/").toFile());
            Map<String, String> environment = builder.environment();
            environment.put("LC_ALL", "C");
            if (password != null) {
                environment.put("PGPASSWORD", password);
            }
            Process process = builder.start();
            process.getOutputStream().close();
            byte[] out = process.getInputStream().readAllBytes();
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                throw new BackupException(command.getFirst() + " did not finish within " + timeout);
            }
            return new Result(process.exitValue(), new String(out, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("running " + command.getFirst() + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BackupException("interrupted while running " + command.getFirst(), e);
        }
    }

    private static boolean runningAsRoot() {
        try {
            return Integer.valueOf(0).equals(Files.getAttribute(Path.of("/proc/self"), "unix:uid"));
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            return "root".equals(System.getProperty("user.name"));
        }
    }
}
