package io.valerix.harness.dashboard.internal;

import io.valerix.inventory.StockLevel;
import io.valerix.order.OrderStatus;
import java.util.List;
import java.util.Map;

/**
 * One dashboard reading, the body of a {@code sample} server-sent event and of {@code GET
 * /dashboard/api/snapshot}. Every figure comes from the same monitors, rounding and thresholds as
 * {@code /health}. Immutable.
 *
 * @param seq the reading's number, 1 for the first; consecutive readings differ by one
 * @param atMs wall-clock time of the reading, epoch milliseconds
 * @param elapsedMs time since the service pair started on the monitors' clock, in the same terms
 *     as {@link TransitionView#sinceStartMs()}
 * @param startedAtMs wall-clock time the service pair started, epoch milliseconds
 * @param scopes the three lights: {@code order}, {@code inventory}, {@code inventory-from-order}
 * @param orders orders by status, or null if they could not be counted
 * @param stock stock per SKU, or null if it could not be read
 * @param gremlin the inventory gremlin now
 * @param problems what could not be read this time, in plain words; empty when all was read
 */
public record Sample(
        long seq,
        long atMs,
        double elapsedMs,
        long startedAtMs,
        List<ScopeView> scopes,
        Map<OrderStatus, Long> orders,
        List<StockLevel> stock,
        GremlinView gremlin,
        List<String> problems) {

    /**
     * One light and the window figures that decided it, rounded as {@code /health} rounds them.
     * Latencies are null while the window is empty (the light is IDLE), so charts show a gap, not a
     * fake zero.
     *
     * @param id {@code order}, {@code inventory} or {@code inventory-from-order}
     * @param title what the light watches, in plain words
     * @param light GREEN, RED or IDLE
     * @param thresholdMs p99 at or above which the light turns RED
     * @param recoveryMs p99 below which a RED light turns GREEN again
     * @param windowMs the rolling window the figures cover
     * @param count requests in the window
     * @param ratePerSecond requests per second over the window
     * @param errorRate share of the window's requests that failed, 0 to 1
     * @param p50Ms median latency, or null
     * @param p90Ms 90th percentile latency, or null
     * @param p99Ms 99th percentile latency (what the light watches), or null
     * @param maxMs largest latency, or null
     * @param transitions the light's most recent changes, oldest first
     */
    public record ScopeView(
            String id,
            String title,
            String light,
            long thresholdMs,
            long recoveryMs,
            long windowMs,
            long count,
            double ratePerSecond,
            double errorRate,
            Double p50Ms,
            Double p90Ms,
            Double p99Ms,
            Double maxMs,
            List<TransitionView> transitions) {}

    /**
     * One light change, as the monitor recorded it.
     *
     * @param sinceStartMs when, as time since the pair started (the monitor's own reading)
     * @param atMs when, wall clock, epoch milliseconds
     * @param from the light before
     * @param to the light after
     * @param p99Ms the p99 that decided the change
     */
    public record TransitionView(double sinceStartMs, long atMs, String from, String to, double p99Ms) {}

    /**
     * The gremlin as it is now; read in-process, never through the admin API.
     *
     * @param spec the spec in text form
     * @param seed the seed
     * @param counts how often each kind of injection happened
     */
    public record GremlinView(String spec, long seed, Map<String, Long> counts) {}
}
