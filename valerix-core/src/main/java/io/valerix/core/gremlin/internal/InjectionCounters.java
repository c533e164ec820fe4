package io.valerix.core.gremlin.internal;

import io.valerix.core.gremlin.Fault;
import io.valerix.core.gremlin.GremlinCounts;
import io.valerix.core.gremlin.GremlinDecision;
import io.valerix.core.gremlin.InjectionPhase;
import java.util.concurrent.atomic.LongAdder;

/**
 * Running totals of what a gremlin injected.
 *
 * <p>Thread-safe. {@link LongAdder}s because every request of every handler thread updates them
 * and nobody reads them except a metrics scrape; a snapshot is therefore not atomic across
 * counters, which a scrape tolerates.
 */
public final class InjectionCounters {

    private final LongAdder decisions = new LongAdder();
    private final LongAdder delayedBefore = new LongAdder();
    private final LongAdder delayedAfter = new LongAdder();
    private final LongAdder errors = new LongAdder();
    private final LongAdder resets = new LongAdder();
    private final LongAdder noResponses = new LongAdder();
    private final LongAdder slowBodies = new LongAdder();

    /** Counts {@code decision}. */
    public void record(GremlinDecision decision) {
        decisions.increment();
        if (!decision.delay(InjectionPhase.BEFORE).isZero()) {
            delayedBefore.increment();
        }
        if (!decision.delay(InjectionPhase.AFTER).isZero()) {
            delayedAfter.increment();
        }
        decision.fault().ifPresent(fault -> counter(fault).increment());
    }

    private LongAdder counter(Fault fault) {
        return switch (fault) {
            case Fault.ErrorResponse e -> errors;
            case Fault.ConnectionReset r -> resets;
            case Fault.NoResponse n -> noResponses;
            case Fault.SlowBody s -> slowBodies;
        };
    }

    /** The current totals. */
    public GremlinCounts snapshot() {
        return new GremlinCounts(
                decisions.sum(),
                delayedBefore.sum(),
                delayedAfter.sum(),
                errors.sum(),
                resets.sum(),
                noResponses.sum(),
                slowBodies.sum());
    }
}
