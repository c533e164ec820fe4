package io.valerix.harness.fleet;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One service of a {@link ServiceFleet} as a child JVM ({@link ServiceChild}): started, killed with
 * SIGKILL, started again with the same arguments on the port it had, stopped. Its standard input
 * is a pipe the parent never writes ({@link ParentWatch}); its standard error is appended to the
 * fleet's log. Thread-safe: the run's killer and the fleet's close may race, so every transition is
 * synchronized.
 */
final class ServiceProcess {

    /** Bounds a child's start on a machine busy with other builds: a JVM start and schema checks, usually seconds. */
    static final Duration START_LIMIT = Duration.ofMinutes(2);

    private static final Duration STOP_GRACE = Duration.ofSeconds(15);
    /** Extra JVM options for every service process, split on whitespace, e.g. {@code -Xmx1g -XX:+UseParallelGC}. */
    static final String JAVA_OPTS_ENV = "VALERIX_SERVICE_JAVA_OPTS";
    // Small by default: up to 17 of them share a machine with the harness and its load.
    private static final List<String> JVM_OPTIONS = List.of("-Xmx384m", "-XX:+UseSerialGC");

    private final String instanceId;
    private final List<String> args;
    private final Map<String, String> environment;
    private final Path log;
    private Process process;
    private int port;
    // Read without the lock: a restart holds it for seconds, and its address does not change.
    private volatile URI uri;
    private boolean closed;

    /**
     * @param args the {@link ServiceChild} arguments except {@code --instance-id} and {@code --port}
     * @param port the port, or 0 for a free one (kept for restarts once known)
     */
    ServiceProcess(String instanceId, List<String> args, int port, Map<String, String> environment, Path log) {
        this.instanceId = instanceId;
        this.args = List.copyOf(args);
        this.port = port;
        this.environment = Map.copyOf(environment);
        this.log = log;
    }

    String instanceId() {
        return instanceId;
    }

    URI uri() {
        return uri;
    }

    /** Starts the child and waits until it serves. */
    synchronized void start() throws InterruptedException {
        if (closed) {
            throw new IllegalStateException(instanceId + " is closed");
        }
        List<String> childArgs =
                new ArrayList<>(List.of("--instance-id", instanceId, "--port", Integer.toString(port)));
        childArgs.addAll(args);
        List<String> jvmOptions = new ArrayList<>(JVM_OPTIONS);
        String extra = System.getenv(JAVA_OPTS_ENV);
        if (extra != null && !extra.isBlank()) {
            jvmOptions.addAll(List.of(extra.strip().split("\\s+")));
        }
        ProcessBuilder builder = new ProcessBuilder(ChildJvm.command(jvmOptions, ServiceChild.class, childArgs))
                .redirectError(ProcessBuilder.Redirect.appendTo(log.toFile()));
        builder.environment().putAll(environment);
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new IllegalStateException("starting " + instanceId + " failed: " + e.getMessage(), e);
        }
        uri = awaitAnnouncement(process);
        port = uri.getPort();
    }

    /** SIGKILL, and waits until the process is gone (its port free again). */
    synchronized void kill() throws InterruptedException {
        if (process != null) {
            process.destroyForcibly();
            process.waitFor();
        }
    }

    synchronized boolean alive() {
        return process != null && process.isAlive();
    }

    /** SIGTERM (the child drains and closes its database), SIGKILL if it does not end within the grace. Idempotent. */
    synchronized void stop() {
        closed = true;
        if (process == null || !process.isAlive()) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                process.waitFor(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    /** The last resort of a shutdown hook: no waiting. */
    synchronized void destroyForcibly() {
        if (process != null) {
            process.destroyForcibly();
        }
    }

    /**
     * Reads the child's standard output until its announcement; then keeps reading (and dropping)
     * so the child never blocks on a full pipe.
     */
    private URI awaitAnnouncement(Process child) throws InterruptedException {
        CompletableFuture<URI> announced = new CompletableFuture<>();
        Thread.ofPlatform().daemon().name(instanceId + "-stdout").start(() -> {
            try (BufferedReader reader =
                    new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                    String[] words = line.strip().split("\\s+");
                    if (words.length == 3
                            && words[0].equals(ServiceChild.ANNOUNCEMENT)
                            && words[1].equals(instanceId)) {
                        announced.complete(URI.create(words[2]));
                    }
                }
            } catch (IOException | IllegalArgumentException e) {
                announced.completeExceptionally(e);
            } finally {
                announced.completeExceptionally(new IllegalStateException(instanceId + " ended before it served (exit "
                        + (child.isAlive() ? "unknown" : child.exitValue()) + "); see " + log));
            }
        });
        try {
            return announced.get(START_LIMIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            child.destroyForcibly();
            throw new IllegalStateException(e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            child.destroyForcibly();
            throw new IllegalStateException(
                    instanceId + " did not serve within " + START_LIMIT.toSeconds() + " s; see " + log);
        } catch (InterruptedException e) {
            child.destroyForcibly();
            throw e;
        }
    }
}
