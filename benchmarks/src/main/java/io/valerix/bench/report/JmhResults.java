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
 * dot, method name (as in {@code TimeLimiterBenchmark.baseline}).
 */
final class JmhResults {

    /** One benchmark's primary score and, when run with {@code -prof gc}, its allocation per op. */
    record Score(String name, String mode, int threads, double score, double error, String unit, Double bytesPerOp) {
        boolean hasError() {
            return !Double.isNaN(error);
        }
    }

    private final Map<String, Score> scores;
    private final String jdk;
    private final String vm;

    private JmhResults(Map<String, Score> scores, String jdk, String vm) {
        this.scores = scores;
        this.jdk = jdk;
        this.vm = vm;
    }

    static JmhResults empty() {
        return new JmhResults(Map.of(), null, null);
    }

    static JmhResults read(Path file) throws IOException {
        if (file == null || !Files.exists(file)) {
            return empty();
        }
        JsonNode root = new ObjectMapper().readTree(file.toFile());
        Map<String, Score> scores = new LinkedHashMap<>();
        String jdk = null;
        String vm = null;
        for (JsonNode run : root) {
            String full = run.path("benchmark").asText();
            String[] parts = full.split("\\.");
            String name = parts.length >= 2 ? parts[parts.length - 2] + "." + parts[parts.length - 1] : full;
            JsonNode primary = run.path("primaryMetric");
            Double bytes = null;
            var secondaries = run.path("secondaryMetrics").fields();
            while (secondaries.hasNext()) {
                var metric = secondaries.next();
                // JMH has spelled this key with and without a leading middle dot.
                if (metric.getKey().replaceFirst("^[^a-z]+", "").equals("gc.alloc.rate.norm")) {
                    bytes = metric.getValue().path("score").asDouble();
                }
            }
            scores.put(
                    name,
                    new Score(
                            name,
                            run.path("mode").asText(),
                            run.path("threads").asInt(1),
                            primary.path("score").asDouble(),
                            number(primary.path("scoreError")),
                            primary.path("scoreUnit").asText(),
                            bytes));
            jdk = run.path("jdkVersion").asText(null);
            vm = run.path("vmName").asText(null) + " " + run.path("vmVersion").asText("");
        }
        return new JmhResults(scores, jdk, vm);
    }

    private static double number(JsonNode node) {
        // JMH writes "NaN" as a string when there were too few iterations for an error bound.
        return node.isNumber() ? node.asDouble() : Double.NaN;
    }

    Optional<Score> score(String name) {
        return Optional.ofNullable(scores.get(name));
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
