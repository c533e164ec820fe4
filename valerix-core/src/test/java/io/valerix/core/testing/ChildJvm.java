package io.valerix.core.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A class of the test class path running in a JVM of its own, so a test can {@code kill -9} it
 * mid-work and check what survives. The child speaks a line protocol on stdout (see {@link
 * ChildJvmProtocol}); its stderr (logging) goes to a file that failure messages quote.
 *
 * <p>Stdout is read on a thread of its own, so the test never blocks on a dead pipe: {@link
 * #nextLine} waits a bounded time. Closing kills the child. One test thread at a time.
 */
public final class ChildJvm implements AutoCloseable {

    /** How long a child may take to exit after a kill, to start, or to print a line. */
    private static final Duration PATIENCE = Duration.ofSeconds(30);

    private static final String END = "\u0000end of output";

    private final Process process;
    private final Path stderr;
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    private boolean ended;

    private ChildJvm(Process process, Path stderr) {
        this.process = process;
        this.stderr = stderr;
        Thread.ofPlatform().daemon().name("child-stdout-" + process.pid()).start(() -> {
            try (BufferedReader reader =
                    new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                    lines.add(line);
                }
            } catch (IOException ignored) {
                // The pipe broke with the kill; what was read is all there is.
            } finally {
                lines.add(END);
            }
        });
    }

    /** A child JVM that will run {@code main}'s {@code main} method. */
    public static Builder of(Class<?> main) {
        return new Builder(main);
    }

    /**
     * The next line the child printed, waiting at most {@code within}; null once its stdout has
     * ended (it exited or was killed).
     *
     * @throws AssertionError if no line came in time, quoting the child's stderr
     */
    public String nextLine(Duration within) throws InterruptedException {
        if (ended) {
            return null;
        }
        String line = lines.poll(within.toMillis(), TimeUnit.MILLISECONDS);
        if (line == null) {
            throw new AssertionError("no line from the child within " + within + "; its stderr:\n" + stderrTail());
        }
        if (line.equals(END)) {
            ended = true;
            return null;
        }
        return line;
    }

    /**
     * Reads up to the first line that starts with {@code prefix} (a start-up announcement such as
     * {@code READY}) and returns it; the lines before it are dropped.
     *
     * @throws AssertionError if the child ends or is silent for {@code within} before it, quoting
     *     its stderr
     */
    public String awaitLine(String prefix, Duration within) throws InterruptedException {
        for (String line = nextLine(within); ; line = nextLine(within)) {
            if (line == null) {
                throw new AssertionError("the child ended before printing '" + prefix + "' (exit " + exitValue()
                        + "); its stderr:\n" + stderrTail());
            }
            if (line.startsWith(prefix)) {
                return line;
            }
        }
    }

    /**
     * {@code kill -9}: the child gets no chance to flush, close or commit anything. Returns once it is
     * gone; the lines it printed before remain readable.
     *
     * @throws AssertionError if it has not exited within 30 s
     */
    public void killMinusNine() throws InterruptedException {
        process.destroyForcibly();
        if (!process.waitFor(PATIENCE.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError("the child " + process.pid() + " did not exit within " + PATIENCE + " of kill -9");
        }
    }

    /** Asks the child to stop (SIGTERM, so its shutdown hooks run); kills it if it has not within 30 s. */
    public void stop() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(PATIENCE.toMillis(), TimeUnit.MILLISECONDS)) {
            killMinusNine();
        }
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** The child as the operating system sees it (pid, command line). */
    public ProcessHandle handle() {
        return process.toHandle();
    }

    /** The last 40 lines of the child's stderr, for a failure message. */
    public String stderrTail() {
        try {
            List<String> log = Files.exists(stderr) ? Files.readAllLines(stderr) : List.of();
            return String.join("\n", log.subList(Math.max(0, log.size() - 40), log.size()));
        } catch (IOException | UncheckedIOException e) {
            return "(unreadable: " + e + ")";
        }
    }

    /** Kills the child (kill -9) if it still runs. */
    @Override
    public void close() {
        process.destroyForcibly();
        try {
            process.waitFor(PATIENCE.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private String exitValue() {
        return process.isAlive() ? "none yet" : Integer.toString(process.exitValue());
    }

    /** How to start a child JVM: its main class, heap, arguments, environment and stderr file. */
    public static final class Builder {

        private final Class<?> main;
        private final List<String> arguments = new ArrayList<>();
        private final Map<String, String> environment = new LinkedHashMap<>();
        private String heap = "256m";
        private boolean quickStart = true;
        private Path stderr;

        private Builder(Class<?> main) {
            this.main = Objects.requireNonNull(main, "main");
        }

        /** The arguments of {@code main}. */
        public Builder arguments(String... arguments) {
            return arguments(List.of(arguments));
        }

        /** More arguments of {@code main}, after those given before. */
        public Builder arguments(List<String> arguments) {
            this.arguments.addAll(arguments);
            return this;
        }

        /** The maximum heap ({@code -Xmx}); 256m unless set. */
        public Builder heap(String heap) {
            this.heap = Objects.requireNonNull(heap, "heap");
            return this;
        }

        /**
         * Whether the child starts fast at the cost of peak speed (C1 only); true unless set. Children
         * that are killed within seconds never reach C2's payoff.
         */
        public Builder quickStart(boolean quickStart) {
            this.quickStart = quickStart;
            return this;
        }

        /** An environment variable of the child, on top of the test JVM's. */
        public Builder environment(String name, String value) {
            environment.put(name, value);
            return this;
        }

        /** Where the child's stderr goes (required): failure messages quote its end. */
        public Builder stderrTo(Path file) {
            this.stderr = Objects.requireNonNull(file, "file");
            return this;
        }

        /** Starts the child with the test JVM's java and class path. */
        public ChildJvm start() throws IOException {
            if (stderr == null) {
                throw new IllegalStateException(
                        "stderrTo(file) is required: a failing child must leave its log somewhere");
            }
            String java = ProcessHandle.current().info().command().orElseThrow();
            List<String> command = new ArrayList<>(List.of(java, "-Xmx" + heap, "-XX:+UseSerialGC"));
            if (quickStart) {
                command.add("-XX:TieredStopAtLevel=1");
            }
            command.addAll(List.of("-cp", System.getProperty("java.class.path"), main.getName()));
            command.addAll(arguments);
            ProcessBuilder builder = new ProcessBuilder(command).redirectError(stderr.toFile());
            builder.environment().putAll(environment);
            return new ChildJvm(builder.start(), stderr);
        }
    }
}
