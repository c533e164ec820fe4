package io.valerix.harness.report;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Map;

/**
 * One reading of a service's {@code GET /health}, as a line of {@code health.jsonl}. The chaos run
 * takes one of each service every second, so the report shows the same lights, from the same
 * monitors and thresholds, that the services and the dashboard show.
 *
 * @param tMs when the reading was asked for, in milliseconds since the run started
 * @param service {@code order} or {@code inventory}
 * @param light GREEN, RED or IDLE as the service reported it; {@code NO_ANSWER} if it did not answer
 * @param p99Ms the service's own p99 over its window, or null
 * @param ratePerSecond requests per second over its window, or null
 * @param dependencies each dependency's light as this service sees it (the order service sees
 *     {@code inventory}); empty if none
 * @param error why there was no reading, or null
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record HealthSample(
        double tMs,
        String service,
        String light,
        Double p99Ms,
        Double ratePerSecond,
        Map<String, String> dependencies,
        String error) {

    public static final String NO_ANSWER = "NO_ANSWER";

    public HealthSample {
        dependencies = dependencies == null ? Map.of() : Map.copyOf(dependencies);
    }
}
