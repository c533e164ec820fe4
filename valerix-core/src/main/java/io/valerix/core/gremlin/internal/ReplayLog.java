package io.valerix.core.gremlin.internal;

import io.valerix.core.gremlin.GremlinDecision;
import io.valerix.core.gremlin.InjectionPhase;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Saved decisions indexed by request number, for a replaying gremlin.
 *
 * <p>Immutable after construction and thread-safe.
 */
public final class ReplayLog {

    private final Map<Long, GremlinDecision> byRequest;
    private final long last;

    /**
     * @throws IllegalArgumentException if two decisions have the same request number
     */
    public ReplayLog(List<GremlinDecision> decisions) {
        Map<Long, GremlinDecision> map = new HashMap<>();
        long max = 0;
        for (GremlinDecision d : decisions) {
            if (map.put(d.request(), d) != null) {
                throw new IllegalArgumentException(
                        "replay log must have one decision per request, but request " + d.request() + " appears twice");
            }
            max = Math.max(max, d.request());
        }
        this.byRequest = Map.copyOf(map);
        this.last = max;
    }

    /** The highest request number in the log; 0 for an empty log. */
    public long last() {
        return last;
    }

    /** How many decisions the log holds. */
    public int size() {
        return byRequest.size();
    }

    /**
     * The logged decision for {@code request}, or no injection when the log has none; carried over
     * to {@code method} and {@code path} if the logged request differs (which {@link #matches}
     * reveals).
     */
    public GremlinDecision decisionFor(long request, String method, String path) {
        GremlinDecision logged = byRequest.get(request);
        if (logged == null) {
            return GremlinDecision.builder(request, method, path).build();
        }
        if (matches(logged, method, path)) {
            return logged;
        }
        GremlinDecision.Builder copy = GremlinDecision.builder(request, method, path)
                .delay(InjectionPhase.BEFORE, logged.delay(InjectionPhase.BEFORE))
                .delay(InjectionPhase.AFTER, logged.delay(InjectionPhase.AFTER))
                .firedRules(logged.firedRules());
        logged.fault().ifPresent(f -> copy.fault(logged.faultPhase().orElseThrow(), f));
        return copy.build();
    }

    /** Whether the log has {@code request} for exactly this method and path, or has no entry. */
    public boolean matches(long request, String method, String path) {
        GremlinDecision logged = byRequest.get(request);
        return logged == null || matches(logged, method, path);
    }

    private static boolean matches(GremlinDecision logged, String method, String path) {
        return logged.method().equals(method) && logged.path().equals(path);
    }
}
