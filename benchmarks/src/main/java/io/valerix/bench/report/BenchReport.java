package io.valerix.bench.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.valerix.bench.report.ReportModel.Environment;
import io.valerix.bench.report.ReportModel.Goal;
import io.valerix.bench.report.ReportModel.Report;
import io.valerix.bench.report.ReportModel.Section;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Turns one run's raw results into the benchmark report: an HTML page (tables and inline SVG
 * charts) and {@code BENCHMARKS.md}. Reads, from the results directory, {@code jmh.json} (JMH
 * {@code -rf json}), {@code timeouts.json} ({@link io.valerix.bench.TimeoutFiringMeasurement})
 * and {@code e2e.json} ({@code valerix bench}); any of them may be missing, and its figures are
 * then reported as not measured. Every figure comes from those files; nothing is typed in.
 *
 * <p>Usage: {@code BenchReport --results DIR --html FILE --markdown FILE [--profile quick|full]
 * [--commit SHA] [--load-before "1.0 0.9 0.8"] [--command TEXT]}.
 */
public final class BenchReport {

    private BenchReport() {}

    public static void main(String[] args) throws IOException {
        Map<String, String> options = options(args);
        Path results = Path.of(options.getOrDefault("--results", "target/bench"));
        Report report = build(results, options);
        write(
                Path.of(options.getOrDefault(
                        "--html", results.resolve("report.html").toString())),
                HtmlPage.render(report));
        Path markdown = Path.of(options.getOrDefault(
                "--markdown", results.resolve("BENCHMARKS.md").toString()));
        write(markdown, MarkdownPage.render(report) + keptSections(markdown));
        for (Goal goal : report.goals()) {
            System.out.printf("%-60s %-14s %s%n", goal.what(), goal.verdict().label, goal.measured());
        }
    }

    /**
     * Sections other scripts write into the same file between {@code <!-- NAME:begin -->} and
     * {@code <!-- NAME:end -->} markers (bin/bench-throughput's), kept as they are.
     */
    static String keptSections(Path markdown) throws IOException {
        if (!java.nio.file.Files.exists(markdown)) {
            return "";
        }
        String text = java.nio.file.Files.readString(markdown);
        StringBuilder kept = new StringBuilder();
        java.util.regex.Matcher section = java.util.regex.Pattern.compile(
                        "<!-- ([a-z0-9-]+):begin -->.*?<!-- \\1:end -->", java.util.regex.Pattern.DOTALL)
                .matcher(text);
        while (section.find()) {
            kept.append('\n').append(section.group()).append('\n');
        }
        return kept.toString();
    }

    /** The report of the results in {@code results}, described by {@code options}. */
    static Report build(Path results, Map<String, String> options) throws IOException {
        JmhResults jmh = JmhResults.read(results.resolve("jmh.json"));
        JsonNode timeouts = json(results.resolve("timeouts.json"));
        JsonNode e2e = json(results.resolve("e2e.json"));
        List<Goal> goals = new ArrayList<>();
        MicroSections micro = new MicroSections(jmh, goals);
        EndToEndSections endToEnd = new EndToEndSections(timeouts, e2e, goals);
        List<Section> sections = new ArrayList<>();
        sections.add(micro.timeLimiter());
        sections.add(endToEnd.timeoutFiring());
        sections.add(micro.idempotency());
        sections.add(micro.reconciler());
        sections.add(micro.gremlinAndLatency());
        sections.add(micro.json());
        sections.add(endToEnd.throughput());
        sections.add(endToEnd.gremlin());
        sections.add(endToEnd.coldStart());
        sections.add(endToEnd.memory());
        Environment environment = environment(jmh, options);
        return new Report(environment, goals, sections, caveat(environment));
    }

    private static Environment environment(JmhResults jmh, Map<String, String> options) {
        String jdk = jmh.jdk() != null
                ? jmh.jdk() + " (" + jmh.vm().strip() + ")"
                : Runtime.version() + " (report generator's JVM)";
        String cpu = procLine(Path.of("/proc/cpuinfo"), "model name").orElse(System.getProperty("os.arch"));
        String memory = procLine(Path.of("/proc/meminfo"), "MemTotal")
                .map(total -> Math.round(Long.parseLong(total.replaceAll("[^0-9]", "")) / 1024.0 / 1024.0) + " GiB")
                .orElse("unknown");
        return new Environment(
                ZonedDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'")),
                options.getOrDefault("--commit", "unknown"),
                options.getOrDefault("--profile", "quick"),
                jdk,
                System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
                        + System.getProperty("os.arch"),
                cpu,
                Runtime.getRuntime().availableProcessors(),
                memory,
                options.getOrDefault("--load-before", "unknown"),
                loadAverage().orElse("unknown"),
                options.getOrDefault("--command", "bin/bench"));
    }

    private static String caveat(Environment env) {
        return "Measured on a " + env.cores()
                + "-core machine that runs the load generators beside the services they measure "
                + "(load average " + env.loadBefore() + " before the run and " + env.loadAfter() + " after it, on "
                + env.cores()
                + " cores; a load near the core count before the run means other work shared the machine). Every figure is noisy: compare figures measured side by side in the same run (the ratios), not "
                + "absolute values across runs. JMH error bounds are its 99.9% confidence intervals, where it could compute one. "
                + "Latency percentiles come from a few thousand samples at most.";
    }

    private static Optional<String> loadAverage() {
        try {
            String[] fields = Files.readString(Path.of("/proc/loadavg")).strip().split("\\s+");
            return Optional.of(fields[0] + " " + fields[1] + " " + fields[2]);
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    private static Optional<String> procLine(Path file, String key) {
        try {
            return Files.readAllLines(file).stream()
                    .filter(line -> line.startsWith(key))
                    .map(line -> line.substring(line.indexOf(':') + 1).strip())
                    .findFirst();
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    private static JsonNode json(Path file) throws IOException {
        return Files.exists(file) ? new ObjectMapper().readTree(file.toFile()) : null;
    }

    private static void write(Path file, String text) throws IOException {
        if (file.getParent() != null) {
            Files.createDirectories(file.getParent());
        }
        Files.writeString(file, text, StandardCharsets.UTF_8);
    }

    static Map<String, String> options(String[] args) {
        Map<String, String> options = new HashMap<>();
        for (int i = 0; i < args.length; i++) {
            if (!args[i].startsWith("--") || i + 1 >= args.length) {
                throw new IllegalArgumentException("expected --name value pairs, but got '" + args[i] + "'");
            }
            options.put(args[i], args[++i]);
        }
        return options;
    }
}
