package io.valerix.harness.report.internal;

import io.valerix.core.gremlin.GremlinDecision;
import io.valerix.core.gremlin.InjectionPhase;
import io.valerix.harness.report.PhaseLatency;
import io.valerix.harness.report.RunInfo;
import io.valerix.harness.report.RunStatistics;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.HdrHistogram.Histogram;

/**
 * The gremlin's decisions of a run, summed up per phase and route: how many requests it saw, how
 * many it delayed and by how much, and which faults it injected. Phases are told apart by request
 * number, from where each phase began. Immutable once built.
 */
public final class GremlinSummary {

    /**
     * One row of the summary.
     *
     * @param phase the run phase
     * @param route method and path pattern, such as {@code PUT /reservations/{orderId}}
     * @param decisions requests the gremlin decided on
     * @param delayed of them, how many got a delay (before or after)
     * @param delay the delays given (before plus after), in ms, over the delayed ones
     * @param faults injected faults by kind
     */
    public record Row(
            String phase, String route, long decisions, long delayed, PhaseLatency delay, Map<String, Long> faults) {}

    private GremlinSummary() {}

    public static List<Row> of(List<GremlinDecision> decisions, List<RunInfo.Phase> phases) {
        Map<String, Map<String, Acc>> byPhase = new LinkedHashMap<>();
        for (RunInfo.Phase phase : phases) {
            byPhase.put(phase.name(), new TreeMap<>());
        }
        for (GremlinDecision d : decisions) {
            String phase = phaseOf(d.request(), phases);
            Acc acc = byPhase.computeIfAbsent(phase, p -> new TreeMap<>())
                    .computeIfAbsent(route(d.method(), d.path()), r -> new Acc());
            acc.decisions++;
            long delayNanos = d.delay(InjectionPhase.BEFORE).toNanos()
                    + d.delay(InjectionPhase.AFTER).toNanos();
            if (delayNanos > 0) {
                acc.delays.recordValue(RunStatistics.micros(delayNanos / 1e6));
            }
            d.fault().ifPresent(f -> acc.faults.merge(f.toText(), 1L, Long::sum));
        }
        List<Row> rows = new ArrayList<>();
        byPhase.forEach((phase, routes) -> routes.forEach((route, acc) -> rows.add(new Row(
                phase, route, acc.decisions, acc.delays.getTotalCount(), RunStatistics.of(acc.delays), acc.faults))));
        return rows;
    }

    private static String phaseOf(long request, List<RunInfo.Phase> phases) {
        String phase = phases.isEmpty() ? "run" : "warm-up";
        for (RunInfo.Phase p : phases) {
            if (request >= p.firstRequest()) {
                phase = p.name();
            }
        }
        return phase;
    }

    /** The path with ids replaced by their names, so routes can be summed. */
    static String route(String method, String path) {
        String pattern;
        if (path.startsWith("/reservations/")) {
            pattern = "/reservations/{orderId}";
        } else if (path.startsWith("/inventory/")) {
            pattern = "/inventory/{sku}";
        } else {
            int query = path.indexOf('?');
            pattern = query < 0 ? path : path.substring(0, query);
        }
        return method + " " + pattern;
    }

    private static final class Acc {
        long decisions;
        final Histogram delays = RunStatistics.histogram();
        final Map<String, Long> faults = new TreeMap<>();
    }
}
