package io.valerix.core.backup.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One {@code pg_receivewal} process streaming a cluster's WAL into a spool directory, through a
 * physical replication slot so the server keeps every segment until it was received.
 *
 * <p>{@code --synchronous} makes it fsync and report each position as it arrives, so the slot's
 * position is what is safely in the spool. The process is wrapped in a small shell that ends it
 * when this JVM's pipe closes: a {@code kill -9} of the JVM must not leave a receiver holding the
 * slot (the next start could not stream). Not thread-safe; its owner serializes calls.
 */
public final class WalReceiver implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(WalReceiver.class);
    // Ends the receiver ($child) when stdin (our pipe) reaches EOF, and exits with its status.
    private static final String WATCHDOG = "exec 3<&0; \"$@\" <&- & child=$!; "
            + "(while read -r _ <&3; do :; done; kill -TERM $child 2>/dev/null) & watcher=$!; "
            + "wait $child; status=$?; kill $watcher 2>/dev/null; exit $status";

    private final PgTools tools;
    private final String host;
    private final int port;
    private final String user;
    private final String password;
    private final String slot;
    private final Path spool;
    private final Path logFile;
    private Process process;
    private int starts;

    public WalReceiver(PgTools tools, String host, int port, String user, String password, String slot, Path spool) {
        this.tools = tools;
        this.host = host;
        this.port = port;
        this.user = user;
        this.password = password;
        this.slot = slot;
        this.spool = spool;
        this.logFile = spool.resolveSibling(spool.getFileName() + ".log");
    }

    /** Starts the receiver unless it runs; returns false (and says why in the log file) if it had died. */
    public boolean ensureRunning() throws IOException {
        if (process != null && process.isAlive()) {
            return true;
        }
        boolean died = process != null;
        if (died) {
            log.warn("pg_receivewal exited with {}; restarting it (see {})", process.exitValue(), logFile);
        }
        Files.createDirectories(spool);
        List<String> command = new ArrayList<>(List.of(
                "sh",
                "-c",
                WATCHDOG,
                "sh",
                tools.tool("pg_receivewal"),
                "-D",
                spool.toString(),
                "-h",
                host,
                "-p",
                Integer.toString(port),
                "-U",
                user,
                "--slot",
                slot,
                "--synchronous",
                "--no-loop",
                "--no-password",
                "--status-interval",
                "1"));
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()));
        builder.environment().put("PGPASSWORD", password);
        builder.environment().put("LC_ALL", "C");
        process = builder.start();
        starts++;
        return !died;
    }

    /** How often it was started. */
    public int starts() {
        return starts;
    }

    /** The last lines of its log, for error messages. */
    public String logTail() {
        try {
            List<String> lines = Files.readAllLines(logFile);
            return String.join(" | ", lines.subList(Math.max(0, lines.size() - 3), lines.size()));
        } catch (IOException e) {
            return "(no log)";
        }
    }

    @Override
    public void close() {
        if (process == null) {
            return;
        }
        // Closing the pipe lets the watchdog stop the receiver with SIGTERM, which it handles cleanly.
        try {
            process.getOutputStream().close();
        } catch (IOException ignored) {
            // Already closed.
        }
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
        }
    }
}
