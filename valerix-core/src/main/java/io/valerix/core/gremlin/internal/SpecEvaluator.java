package io.valerix.core.gremlin.internal;

import io.valerix.core.gremlin.Fault;
import io.valerix.core.gremlin.GremlinAction;
import io.valerix.core.gremlin.GremlinDecision;
import io.valerix.core.gremlin.GremlinRule;
import io.valerix.core.gremlin.GremlinSpec;
import io.valerix.core.gremlin.InjectionPhase;
import io.valerix.core.gremlin.LatencyDistribution;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Applies a {@link GremlinSpec} to one request, following the combination rules documented on
 * the spec.
 *
 * <p>Stateless and thread-safe: the result depends only on its arguments.
 */
public final class SpecEvaluator {

    private SpecEvaluator() {}

    /** The decision for request {@code request}. */
    public static GremlinDecision decide(
            GremlinSpec spec, CounterRandom random, long request, String method, String path) {
        long before = 0;
        long after = 0;
        List<Integer> beforeRules = new ArrayList<>();
        List<Integer> afterRules = new ArrayList<>();
        Fault fault = null;
        InjectionPhase faultPhase = null;
        int faultRule = -1;
        List<GremlinRule> rules = spec.rules();
        for (int i = 0; i < rules.size(); i++) {
            GremlinRule rule = rules.get(i);
            if (rule.action() instanceof GremlinAction.None || !rule.route().matches(method, path)) {
                continue;
            }
            // Every applying rule rolls, even a fault behind an earlier one, so that a rule's outcome
            // never depends on the rules before it.
            if (random.uniform(request, i, CounterRandom.ROLL) >= rule.probability()) {
                continue;
            }
            switch (rule.action()) {
                case LatencyDistribution d -> {
                    long delay = d.sample(random.uniform(request, i, CounterRandom.SAMPLE))
                            .toNanos();
                    if (rule.phase() == InjectionPhase.BEFORE) {
                        before = saturatedAdd(before, delay);
                        beforeRules.add(i);
                    } else {
                        after = saturatedAdd(after, delay);
                        afterRules.add(i);
                    }
                }
                case Fault f -> {
                    if (fault == null) {
                        fault = f;
                        faultPhase = rule.phase();
                        faultRule = i;
                    }
                }
                case GremlinAction.None n -> {}
            }
        }
        GremlinDecision.Builder decision = GremlinDecision.builder(request, method, path);
        decision.delay(InjectionPhase.BEFORE, Duration.ofNanos(before));
        if (faultPhase != InjectionPhase.BEFORE) {
            decision.delay(InjectionPhase.AFTER, Duration.ofNanos(after));
        } else {
            afterRules.clear(); // the handler never runs, so there is no "after"
        }
        List<Integer> fired = new ArrayList<>(beforeRules);
        fired.addAll(afterRules);
        if (fault != null) {
            decision.fault(faultPhase, fault);
            fired.add(faultRule);
        }
        fired.sort(null);
        return decision.firedRules(fired).build();
    }

    private static long saturatedAdd(long a, long b) {
        long sum = a + b;
        return sum < 0 ? Long.MAX_VALUE : sum; // both are non-negative, so only overflow goes negative
    }
}
