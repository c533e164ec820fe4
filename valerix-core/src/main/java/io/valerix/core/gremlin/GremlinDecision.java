package io.valerix.core.gremlin;

import io.valerix.core.gremlin.internal.Checks;
import io.valerix.core.gremlin.internal.DurationText;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What the gremlin injects into one request, decided before anything is slept or broken.
 *
 * <p>A server applies it in this order: sleep {@link #delay delay(BEFORE)}; if there is a {@link
 * #fault(InjectionPhase) fault(BEFORE)}, inject it and stop (the handler never runs); run the
 * handler; sleep {@code delay(AFTER)}; if there is a {@code fault(AFTER)}, inject it instead of
 * sending the handler's response normally. A decision with a fault before the handler has no
 * delay after it. {@link #firedRules()} lists the indexes, in the spec that decided, of the rules
 * whose injection is part of this decision (not rules whose fault lost to an earlier one).
 *
 * <p>Immutable and thread-safe. {@link #builder} exists for replaying logs and for testing code
 * that applies decisions; a {@link Gremlin} is the usual source.
 */
public final class GremlinDecision {

    private final long request;
    private final String method;
    private final String path;
    private final Duration delayBefore;
    private final Duration delayAfter;
    private final Fault fault;
    private final InjectionPhase faultPhase;
    private final List<Integer> firedRules;

    private GremlinDecision(Builder b) {
        this.request = b.request;
        this.method = b.method;
        this.path = b.path;
        this.delayBefore = b.delayBefore;
        this.delayAfter = b.delayAfter;
        this.fault = b.fault;
        this.faultPhase = b.faultPhase;
        this.firedRules = b.firedRules;
    }

    /**
     * A builder for request number {@code request} (1 for the first request) with {@code method}
     * and {@code path}; it starts with no injection.
     */
    public static Builder builder(long request, String method, String path) {
        return new Builder(request, method, path);
    }

    /** The request number: 1 for the first request a gremlin decided, then 2, 3, … */
    public long request() {
        return request;
    }

    /** The request's HTTP method. */
    public String method() {
        return method;
    }

    /** The request's path. */
    public String path() {
        return path;
    }

    /** The total delay injected in {@code phase}; zero for none. */
    public Duration delay(InjectionPhase phase) {
        return phase == InjectionPhase.BEFORE ? delayBefore : delayAfter;
    }

    /** The fault injected in {@code phase}, if any. */
    public Optional<Fault> fault(InjectionPhase phase) {
        return phase == faultPhase ? Optional.of(fault) : Optional.empty();
    }

    /** The fault injected in either phase, if any. */
    public Optional<Fault> fault() {
        return Optional.ofNullable(fault);
    }

    /** The phase of {@link #fault()}, if there is one. */
    public Optional<InjectionPhase> faultPhase() {
        return Optional.ofNullable(faultPhase);
    }

    /** The indexes of the rules whose injection this decision carries, in rule order. */
    public List<Integer> firedRules() {
        return firedRules;
    }

    /** Whether the request is left alone: no delay and no fault. */
    public boolean injectsNothing() {
        return fault == null && delayBefore.isZero() && delayAfter.isZero();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof GremlinDecision d
                && request == d.request
                && method.equals(d.method)
                && path.equals(d.path)
                && delayBefore.equals(d.delayBefore)
                && delayAfter.equals(d.delayAfter)
                && Objects.equals(fault, d.fault)
                && faultPhase == d.faultPhase
                && firedRules.equals(d.firedRules);
    }

    @Override
    public int hashCode() {
        return Objects.hash(request, method, path, delayBefore, delayAfter, fault, faultPhase, firedRules);
    }

    /** For example {@code #7 PUT /reservations/o-1: before 0ms, after 1200ms, fault reset after}. */
    @Override
    public String toString() {
        StringBuilder s = new StringBuilder()
                .append('#')
                .append(request)
                .append(' ')
                .append(method)
                .append(' ')
                .append(path)
                .append(": before ")
                .append(DurationText.format(delayBefore))
                .append(", after ")
                .append(DurationText.format(delayAfter));
        if (fault != null) {
            s.append(", fault ").append(fault.toText()).append(' ').append(faultPhase.text());
        }
        return s.append(", rules ").append(firedRules).toString();
    }

    /**
     * Builds a {@link GremlinDecision}; validated in {@link #build()}.
     *
     * <p>Not thread-safe; use one builder on one thread.
     */
    public static final class Builder {
        private final long request;
        private final String method;
        private final String path;
        private Duration delayBefore = Duration.ZERO;
        private Duration delayAfter = Duration.ZERO;
        private Fault fault;
        private InjectionPhase faultPhase;
        private List<Integer> firedRules = List.of();

        private Builder(long request, String method, String path) {
            this.request = request;
            this.method = Objects.requireNonNull(method, "method");
            this.path = Objects.requireNonNull(path, "path");
        }

        /** Sets the total delay of {@code phase}, which must not be negative. */
        public Builder delay(InjectionPhase phase, Duration delay) {
            Objects.requireNonNull(phase, "phase");
            Checks.notNegative(delay, "delay");
            if (phase == InjectionPhase.BEFORE) {
                delayBefore = delay;
            } else {
                delayAfter = delay;
            }
            return this;
        }

        /** Sets the fault and its phase. */
        public Builder fault(InjectionPhase phase, Fault fault) {
            this.faultPhase = Objects.requireNonNull(phase, "phase");
            this.fault = Objects.requireNonNull(fault, "fault");
            return this;
        }

        /** Sets the indexes of the rules whose injection the decision carries. */
        public Builder firedRules(List<Integer> firedRules) {
            this.firedRules = List.copyOf(Objects.requireNonNull(firedRules, "firedRules"));
            return this;
        }

        /**
         * The decision.
         *
         * @throws IllegalArgumentException if the request number is below 1, a rule index is
         *     negative, a fault before the handler comes with a delay after it, or slowbody is before
         */
        public GremlinDecision build() {
            if (request < 1) {
                throw new IllegalArgumentException("request must be at least 1, but was " + request);
            }
            for (int rule : firedRules) {
                if (rule < 0) {
                    throw new IllegalArgumentException("firedRules must not be negative, but was " + firedRules);
                }
            }
            if (faultPhase == InjectionPhase.BEFORE && !delayAfter.isZero()) {
                throw new IllegalArgumentException(
                        "delay after must be 0ms when a fault is injected before the handler, but was "
                                + DurationText.format(delayAfter));
            }
            if (fault instanceof Fault.SlowBody && faultPhase == InjectionPhase.BEFORE) {
                throw new IllegalArgumentException("slowbody must be injected after, but was before");
            }
            return new GremlinDecision(this);
        }
    }
}
