package io.valerix.core.gremlin;

import io.valerix.core.gremlin.internal.NumberText;
import java.util.Objects;

/**
 * One line of a {@link GremlinSpec}: inject {@code action} in {@code phase}, with {@code
 * probability}, into requests selected by {@code route}.
 *
 * <p>Defaults, as {@link #of(GremlinAction)} sets them: probability 1.0, every route, and the
 * action's {@link GremlinAction#defaultPhase() default phase}, which is {@link
 * InjectionPhase#BEFORE} for everything except {@code slowbody} ({@link InjectionPhase#AFTER}, the
 * only phase where there is a body to slow down). The dangerous {@code after} case, where work is
 * done but the client does not hear of it, is therefore always written out explicitly.
 *
 * <p>Immutable and thread-safe. The constructor throws {@link NullPointerException} for null and
 * {@link IllegalArgumentException} for a probability outside [0, 1] or {@code slowbody} before
 * the handler.
 *
 * @param action what to inject
 * @param phase before or after the route handler
 * @param probability the chance, in [0, 1], that the rule fires for a request it applies to
 * @param route the requests the rule applies to
 */
public record GremlinRule(GremlinAction action, InjectionPhase phase, double probability, Route route) {

    public GremlinRule {
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(phase, "phase");
        Objects.requireNonNull(route, "route");
        if (!(probability >= 0 && probability <= 1)) {
            throw new IllegalArgumentException("probability must be in [0, 1], but was " + probability);
        }
        if (action instanceof Fault.SlowBody && phase == InjectionPhase.BEFORE) {
            throw new IllegalArgumentException(
                    "slowbody needs a response to slow down, so its phase must be 'after', but was 'before'");
        }
        // -0.0 passes the range check but is not equal() to 0.0 in a record, nor in the text form.
        probability += 0.0;
    }

    /** A rule with {@code action}, probability 1.0, every route and the action's default phase. */
    public static GremlinRule of(GremlinAction action) {
        Objects.requireNonNull(action, "action");
        return new GremlinRule(action, action.defaultPhase(), 1.0, Route.any());
    }

    /** This rule in {@code phase}. */
    public GremlinRule withPhase(InjectionPhase phase) {
        return new GremlinRule(action, phase, probability, route);
    }

    /** This rule with {@code probability}. */
    public GremlinRule withProbability(double probability) {
        return new GremlinRule(action, phase, probability, route);
    }

    /** This rule restricted to {@code route}. */
    public GremlinRule withRoute(Route route) {
        return new GremlinRule(action, phase, probability, route);
    }

    /**
     * The text form, leaving out what equals the default: {@code uniform(0ms,5s) after p=0.5
     * route="PUT /reservations/*"}.
     */
    public String toText() {
        StringBuilder text = new StringBuilder(action.toText());
        if (phase != action.defaultPhase()) {
            text.append(' ').append(phase.text());
        }
        if (probability != 1.0) {
            text.append(" p=").append(NumberText.format(probability));
        }
        if (!route.isAny()) {
            text.append(" route=\"").append(route).append('"');
        }
        return text.toString();
    }
}
