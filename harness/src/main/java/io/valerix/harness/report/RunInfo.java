package io.valerix.harness.report;

import java.util.List;
import java.util.Map;

/**
 * How a chaos run was set up and how its phases went, as {@code run.json}. Immutable.
 *
 * @param runId the run's order-id prefix: every order id of the run starts with it, so the check
 *     can tell this run's orders from others in the same databases
 * @param seed the seed of the workload and the gremlin
 * @param command a command line that repeats the run (with the seed)
 * @param startedAt when the run started, ISO-8601
 * @param servicesStarted true if the harness started the services; false for given URLs
 * @param orderUrl the order service's base URL
 * @param inventoryUrl the inventory service's base URL
 * @param gremlin the chaos phase's gremlin spec, in text form
 * @param timeoutMs the order service's inventory timeout, if known (0 for given URLs)
 * @param rate new orders per second (open model), or 0 for a closed model
 * @param users closed-model users, or 0 for the open model
 * @param duplicates the share of intents sent twice
 * @param durationMs how long new orders were sent
 * @param stockBefore each SKU's available stock when the run started
 * @param phases the phases in order
 * @param drainMs how long the last requests took to finish after sending stopped
 * @param settleMs how long the check waited for the reconciler to settle PENDING orders
 * @param reproducibility what the seed makes repeatable, in words
 * @param orderUrls every order instance's base URL ({@code orderUrl} is the first), in instance order
 * @param kills the services killed with {@code kill -9} during the run and how each recovered, in
 *     order; empty if none
 * @param links the faults the link between the services went through ({@code --link}), in order;
 *     empty if none
 */
public record RunInfo(
        String runId,
        long seed,
        String command,
        String startedAt,
        boolean servicesStarted,
        String orderUrl,
        String inventoryUrl,
        String gremlin,
        long timeoutMs,
        double rate,
        int users,
        double duplicates,
        long durationMs,
        Map<String, Long> stockBefore,
        List<Phase> phases,
        long drainMs,
        long settleMs,
        String reproducibility,
        List<String> orderUrls,
        List<KillEvent> kills,
        List<LinkWindowEvent> links) {

    public RunInfo {
        stockBefore = RunFiles.ordered(stockBefore);
        phases = List.copyOf(phases);
        // Absent in run directories written before kills existed.
        orderUrls = orderUrls == null ? List.of(orderUrl) : List.copyOf(orderUrls);
        kills = kills == null ? List.of() : List.copyOf(kills);
        links = links == null ? List.of() : List.copyOf(links);
    }

    /**
     * One phase of the run.
     *
     * @param name {@code baseline}, {@code chaos} or {@code recovery}
     * @param startMs when it began, in milliseconds since the run started
     * @param endMs when it ended
     * @param gremlin the inventory gremlin's spec during the phase
     * @param gremlinCounts the gremlin's decisions and injections during the phase, by kind
     *     ({@code decisions}, {@code delay_after}, {@code error}, …)
     * @param firstRequest the gremlin's number of the first inventory request of the phase
     */
    public record Phase(
            String name,
            double startMs,
            double endMs,
            String gremlin,
            Map<String, Long> gremlinCounts,
            long firstRequest) {
        public Phase {
            gremlinCounts = RunFiles.ordered(gremlinCounts);
        }
    }
}
