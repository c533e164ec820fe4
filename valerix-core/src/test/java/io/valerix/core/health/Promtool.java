package io.valerix.core.health;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * Runs {@code promtool check metrics}, Prometheus's own parser and linter for the text format,
 * from the Debian package {@value #DEBIAN_PACKAGE}.
 *
 * <p>Missing promtool fails the test when {@code CI=true} (CI must install it) and skips it,
 * with the install hint, on a developer machine.
 */
final class Promtool {

    static final String DEBIAN_PACKAGE = "prometheus";
    private static final long TIMEOUT_SECONDS = 60;

    /** promtool's exit code (0 valid and lint-clean, 1 unparsable, 3 lint problems) and output. */
    record Verdict(int exitCode, String output) {}

    private Promtool() {}

    /** Checks {@code page} with the promtool found on this process's PATH. */
    static Verdict checkMetrics(String page) throws IOException, InterruptedException {
        Path promtool = require(System.getenv());
        Process process = new ProcessBuilder(promtool.toString(), "check", "metrics")
                .redirectErrorStream(true)
                .start();
        try (OutputStream stdin = process.getOutputStream()) {
            stdin.write(page.getBytes(UTF_8));
        } catch (IOException e) {
            // promtool may stop reading at the first parse error and close the pipe; its verdict
            // is still in the output.
        }
        String output = new String(process.getInputStream().readAllBytes(), UTF_8);
        if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            fail("promtool check metrics did not finish within " + TIMEOUT_SECONDS + " s");
        }
        return new Verdict(process.exitValue(), output);
    }

    /** The promtool on {@code env}'s PATH, or a failure (CI) or skip (elsewhere) saying why. */
    static Path require(Map<String, String> env) {
        Optional<Path> found = locate(env.getOrDefault("PATH", ""));
        if (found.isPresent()) {
            return found.get();
        }
        String message = "promtool not found on PATH; install the Debian package '" + DEBIAN_PACKAGE
                + "' (apt-get install -y " + DEBIAN_PACKAGE + "), which ships /usr/bin/promtool";
        if ("true".equalsIgnoreCase(env.get("CI"))) {
            fail(message + ". It is required when CI=true.");
        }
        Assumptions.abort(message + ". Skipped outside CI.");
        throw new AssertionError("unreachable");
    }

    private static Optional<Path> locate(String pathVariable) {
        for (String dir : pathVariable.split(File.pathSeparator)) {
            if (dir.isEmpty()) {
                continue;
            }
            Path candidate = Path.of(dir, "promtool");
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }
}
