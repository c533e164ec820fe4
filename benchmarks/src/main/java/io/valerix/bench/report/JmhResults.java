package io.valerix.bench.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The scores in a JMH JSON result file ({@code -rf json}), by benchmark: class simple name, a
 * dot, method name (as in {@code TimeLimiterBenchmark.baseline}). A {@code @Group} benchmark is
 * one entry named after its group ({@code JsonRoundTripBenchmark.health}), whose primary score is
 * the group's total; each method's own score is a secondary metric of it, see {@link #secondary}.
 */
final class JmhResults {

    /**
     * One benchmark's primary score and, when run with {@code -prof gc}, its allocation per op. For
     * a secondary metric, {@code threads} is the whole run's (a group's threads, all methods).
     */
    record Score(String name, String mode, int threads, double score, double error, String unit, Double bytesPerOp) {
        boolean hasError() {
            return !Double.isNaN(error);
        }
    }

    private final Map<String, Score> scores;
    private final Map<String, Map<String, Score>> secondaries;
    private final String jdk;
    private final String vm;

    private JmhResults(Map<String, Score> scores, Map<String, Map<String, Score>> secondaries, String jdk, String vm) {
        this.scores = scores;
        this.secondaries = secondaries;
        this.jdk = jdk;
        this.vm = vm;
    }

    static JmhResults empty() {
        return new JmhResults(Map.of(), Map.of(), null, null);
    }

    static JmhResults read(Path file) throws IOException {
        if (file == null || !Files.exists(file)) {
            return empty();
        }
        JsonNode root = new ObjectMapper().readTree(file.toFile());
        Map<String, Score> scores = new LinkedHashMap<>();
        Map<String, Map<String, Score>> secondaries = new LinkedHashMap<>();
        String jdk = null;
        String vm = null;
        for (JsonNode run : root) {
            String full = run.path("benchmark").asText();
            String[] parts = full.split("\\.");
            String name = parts.length >= 2 ? parts[parts.length - 2] + "." + parts[parts.length - 1] : full;
            JsonNode primary = run.path("primaryMetric");
            Double bytes = null;
            Map<String, Score> secondary = new LinkedHashMap<>();
            var metrics = run.path("secondaryMetrics").fields();
            while (metrics.hasNext()) {
                var metric = metrics.next();
                // JMH has spelled the profilers' keys with and without a leading middle dot.
                String key = metric.getKey().replaceFirst("^[^A-Za-z]+", "");
                JsonNode value = metric.getValue();
                if (key.equals("gc.alloc.rate.norm")) {
                    bytes = value.path("score").asDouble();
                }
                secondary.put(key, scoreOf(name + ":" + key, run, value, null));
            }
            secondaries.put(name, secondary);
            scores.put(name, scoreOf(name, run, primary, bytes));
            jdk = run.path("jdkVersion").asText(null);
            vm = run.path("vmName").asText(null) + " " + run.path("vmVersion").asText("");
        }
        return new JmhResults(scores, secondaries, jdk, vm);
    }

    /** {@code metric} (the primary metric or a secondary one) of JMH's {@code run}, named {@code name}. */
    private static Score scoreOf(String name, JsonNode run, JsonNode metric, Double bytesPerOp) {
        return new Score(
                name,
                run.path("mode").asText(),
                run.path("threads").asInt(1),
                metric.path("score").asDouble(),
                number(metric.path("scoreError")),
                metric.path("scoreUnit").asText(),
                bytesPerOp);
    }

    private static double number(JsonNode node) {
        // JMH writes "NaN" as a string when there were too few iterations for an error bound.
        return node.isNumber() ? node.asDouble() : Double.NaN;
    }

    Optional<Score> score(String name) {
        return Optional.ofNullable(scores.get(name));
    }

    /**
     * A secondary metric of {@code benchmark}, as JMH names it after the colon: for a {@code @Group}
     * benchmark, one method's own score ({@code secondary("JsonRoundTripBenchmark.health",
     * "valerixHealth")}). It has no B/op: {@code -prof gc} measures the group as a whole, and that
     * figure stays on the group's {@link #score}.
     */
    Optional<Score> secondary(String benchmark, String metric) {
        return Optional.ofNullable(secondaries.getOrDefault(benchmark, Map.of()).get(metric));
    }

    boolean isEmpty() {
        return scores.isEmpty();
    }

    int size() {
        return scores.size();
    }

    String jdk() {
        return jdk;
    }

    String vm() {
        return vm;
    }
}
