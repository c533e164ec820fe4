package io.valerix.core.gremlin;

/**
 * Hears every decision a {@link Gremlin} makes, e.g. a {@link DecisionLog} saving a chaos run.
 *
 * <p>Called on the thread that called {@link Gremlin#decide}, right after deciding, so
 * implementations must be thread-safe and quick. A listener that throws does not fail the
 * request: the gremlin logs the exception at WARN and carries on.
 */
@FunctionalInterface
public interface DecisionListener {

    /** Receives one decision. */
    void onDecision(GremlinDecision decision);
}
