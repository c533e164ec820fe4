package io.valerix.core.gremlin;

/**
 * What a {@link GremlinRule} injects when it fires: a {@link LatencyDistribution}, a {@link Fault}
 * or {@link None nothing}.
 *
 * <p>Implementations are immutable value records and thread-safe; the hierarchy is sealed so
 * that a filter can {@code switch} over it exhaustively.
 */
public sealed interface GremlinAction permits LatencyDistribution, Fault, GremlinAction.None {

    /** The action that injects nothing; {@code none} in the text form. */
    static GremlinAction none() {
        return new None();
    }

    /** The text form of this action, e.g. {@code uniform(0ms,5s)} or {@code error(503)}. */
    String toText();

    /**
     * The phase a rule with this action uses when none is given: {@link InjectionPhase#BEFORE},
     * except for {@link Fault.SlowBody}, which only exists {@link InjectionPhase#AFTER}.
     */
    default InjectionPhase defaultPhase() {
        return InjectionPhase.BEFORE;
    }

    /** Injects nothing; a rule with this action never changes a request. */
    record None() implements GremlinAction {
        @Override
        public String toText() {
            return "none";
        }
    }
}
