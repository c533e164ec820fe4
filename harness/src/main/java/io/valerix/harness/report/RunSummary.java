package io.valerix.harness.report;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonUnwrapped;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Map;
import java.util.Objects;

/**
 * The outcome of a chaos run, as {@code summary.json}: the {@link Verdict} and the run figures
 * beside it. The verdict's fields are written at the top level ({@code verdict}, {@code intents},
 * {@code lost}, …), as every earlier run wrote them, so old run directories still read. Immutable.
 *
 * @param verdict what the consistency check concluded
 * @param seed the run's seed
 * @param latency per phase, counted from intended send times
 * @param command a command line that repeats the run
 * @param report the report's file name in the run directory
 */
public record RunSummary(
        @JsonUnwrapped Verdict verdict, long seed, Map<String, PhaseLatency> latency, String command, String report) {

    private static final TypeReference<Map<String, PhaseLatency>> LATENCY = new TypeReference<>() {};

    public RunSummary {
        Objects.requireNonNull(verdict, "verdict");
        latency = RunFiles.ordered(latency);
    }

    /**
     * Reads the flat {@code summary.json}: the verdict's fields and the run's side by side. Jackson
     * cannot feed an unwrapped record component through a constructor, so the two are taken apart
     * here; the {@code verdict} text is not read back, it follows from the counts.
     */
    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    static RunSummary fromJson(JsonNode json) {
        ObjectMapper mapper = RunFiles.mapper();
        Verdict verdict = mapper.convertValue(json, Verdict.class);
        Map<String, PhaseLatency> latency =
                json.hasNonNull("latency") ? mapper.convertValue(json.get("latency"), LATENCY) : Map.of();
        return new RunSummary(
                verdict,
                json.path("seed").asLong(),
                latency,
                json.path("command").asText(null),
                json.path("report").asText(null));
    }
}
