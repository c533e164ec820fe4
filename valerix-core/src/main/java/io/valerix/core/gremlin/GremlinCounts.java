package io.valerix.core.gremlin;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A snapshot of what a {@link Gremlin} has injected since it was built, for metrics.
 *
 * <p>Immutable and thread-safe. Taken without stopping traffic, so counters of one snapshot may
 * be a request apart from each other.
 *
 * @param decisions requests decided
 * @param delayedBefore decisions with a non-zero delay before the handler
 * @param delayedAfter decisions with a non-zero delay after the handler
 * @param errors error responses injected
 * @param resets connection resets injected
 * @param noResponses unanswered requests injected
 * @param slowBodies slowed response bodies injected
 */
public record GremlinCounts(
        long decisions,
        long delayedBefore,
        long delayedAfter,
        long errors,
        long resets,
        long noResponses,
        long slowBodies) {

    /**
     * The counts by stable snake_case name, in a fixed order, e.g. for a Prometheus counter with a
     * {@code kind} label: {@code decisions, delay_before, delay_after, error, reset, noresponse,
     * slowbody}.
     */
    public Map<String, Long> asMap() {
        Map<String, Long> map = new LinkedHashMap<>();
        map.put("decisions", decisions);
        map.put("delay_before", delayedBefore);
        map.put("delay_after", delayedAfter);
        map.put("error", errors);
        map.put("reset", resets);
        map.put("noresponse", noResponses);
        map.put("slowbody", slowBodies);
        return map;
    }
}
