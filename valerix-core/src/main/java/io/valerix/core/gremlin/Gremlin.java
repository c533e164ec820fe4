package io.valerix.core.gremlin;

import io.valerix.core.gremlin.internal.CounterRandom;
import io.valerix.core.gremlin.internal.InjectionCounters;
import io.valerix.core.gremlin.internal.RecentDecisions;
import io.valerix.core.gremlin.internal.ReplayLog;
import io.valerix.core.gremlin.internal.SpecEvaluator;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gremlin's decision engine: for each request it decides, reproducibly, which latency and
 * faults to inject; a server filter then applies the {@link GremlinDecision}.
 *
 * <pre>{@code
 * Gremlin gremlin = Gremlin.builder(42)
 *     .spec(GremlinSpec.parse("uniform(0ms,5s) after"))
 *     .listener(DecisionLog.writingTo(Files.newBufferedWriter(logFile)))
 *     .build();
 * GremlinDecision decision = gremlin.decide("PUT", "/reservations/o-1");
 * }</pre>
 *
 * <p><b>Reproducibility.</b> Requests are numbered 1, 2, 3, … in the order they call {@link
 * #decide}. The random numbers of request {@code n} are a pure function of (seed, {@code n}, rule
 * index), so the same seed and the same spec give the same decision for request {@code n}
 * whichever thread asks and whenever it asks; a different seed gives different decisions. A
 * run's request order depends on its clients, so to repeat a run exactly, save its {@link
 * DecisionLog} and build a gremlin {@link Builder#replay replaying} it: request {@code n} then
 * gets the logged decision {@code n}, and requests past the end of the log (or missing from it)
 * get no injection.
 *
 * <p><b>Thread-safety.</b> Thread-safe. {@link #replaceSpec} takes effect for every {@code
 * decide} that starts after it returns; a decision in progress finishes with the spec it started
 * with. Counters and the retained decisions are updated without locks.
 */
public final class Gremlin {

    /** How many recent decisions {@link #recentDecisions()} keeps unless told otherwise. */
    public static final int DEFAULT_RETAINED_DECISIONS = 1_000;

    /** The most {@link Builder#retainedDecisions} accepts; the ring is allocated up front. */
    public static final int MAX_RETAINED_DECISIONS = 1_000_000;

    private static final Logger log = LoggerFactory.getLogger(Gremlin.class);

    private final long seed;
    private final CounterRandom random;
    private final ReplayLog replay;
    private final List<DecisionListener> listeners;
    private final AtomicLong requests = new AtomicLong();
    private final InjectionCounters counters = new InjectionCounters();
    private final RecentDecisions recent;
    private final AtomicBoolean replayMismatchReported = new AtomicBoolean();
    private volatile GremlinSpec spec;

    private Gremlin(Builder b) {
        this.seed = b.seed;
        this.random = new CounterRandom(b.seed);
        this.spec = b.spec == null ? GremlinSpec.none() : b.spec;
        this.replay = b.replay == null ? null : new ReplayLog(b.replay);
        this.listeners = List.copyOf(b.listeners);
        this.recent = new RecentDecisions(b.retainedDecisions);
    }

    /**
     * A builder for a gremlin whose random choices derive from {@code seed}; it starts with spec
     * {@link GremlinSpec#none()}, no listeners and {@link #DEFAULT_RETAINED_DECISIONS}.
     */
    public static Builder builder(long seed) {
        return new Builder(seed);
    }

    /**
     * Decides what to inject into the next request; never blocks, never sleeps.
     *
     * @param method the request's HTTP method, e.g. {@code PUT}
     * @param path the request's path, e.g. {@code /reservations/o-1}; a query string is ignored
     */
    public GremlinDecision decide(String method, String path) {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(path, "path");
        long n = requests.incrementAndGet();
        GremlinDecision decision;
        if (replay != null) {
            if (!replay.matches(n, method, path) && replayMismatchReported.compareAndSet(false, true)) {
                log.warn(
                        "gremlin replay diverges at request {}: this run sent {} {}, the log has another"
                                + " request; its logged injections are applied anyway (reported once)",
                        n,
                        method,
                        path);
            }
            decision = replay.decisionFor(n, method, path);
        } else {
            decision = SpecEvaluator.decide(spec, random, n, method, path);
        }
        counters.record(decision);
        recent.add(decision);
        for (DecisionListener listener : listeners) {
            try {
                listener.onDecision(decision);
            } catch (RuntimeException e) {
                // A broken listener (say, a full disk under the decision log) must not fail requests.
                log.warn("gremlin decision listener {} failed at request {}", listener, n, e);
            }
        }
        return decision;
    }

    /**
     * Makes {@code spec} apply from the next request on, and logs the change at INFO.
     *
     * @throws IllegalStateException if this gremlin is replaying a log, which ignores specs
     */
    public void replaceSpec(GremlinSpec spec) {
        Objects.requireNonNull(spec, "spec");
        if (replay != null) {
            throw new IllegalStateException(
                    "this gremlin replays a decision log, so it has no spec to replace; tried " + spec);
        }
        GremlinSpec old = this.spec;
        this.spec = spec;
        log.info("gremlin spec replaced after request {}: '{}' (was '{}')", requests.get(), spec, old);
    }

    /** The spec that applies to the next request; {@link GremlinSpec#none()} when replaying. */
    public GremlinSpec spec() {
        return replay != null ? GremlinSpec.none() : spec;
    }

    /** The seed random choices derive from. */
    public long seed() {
        return seed;
    }

    /** Whether decisions come from a saved log rather than from the spec. */
    public boolean isReplaying() {
        return replay != null;
    }

    /** What has been injected so far. */
    public GremlinCounts counts() {
        return counters.snapshot();
    }

    /** The most recent decisions, oldest first, at most as many as the builder said to retain. */
    public List<GremlinDecision> recentDecisions() {
        return recent.snapshot();
    }

    @Override
    public String toString() {
        return replay != null
                ? "Gremlin[replaying " + replay.size() + " decisions]"
                : "Gremlin[seed=" + seed + ", spec='" + spec + "']";
    }

    /**
     * Configures a {@link Gremlin}; {@link #build()} validates and copies.
     *
     * <p>Not thread-safe; use one builder on one thread.
     */
    public static final class Builder {
        private final long seed;
        private GremlinSpec spec;
        private List<GremlinDecision> replay;
        private final List<DecisionListener> listeners = new ArrayList<>();
        private int retainedDecisions = DEFAULT_RETAINED_DECISIONS;

        private Builder(long seed) {
            this.seed = seed;
        }

        /** The spec to start with; {@link GremlinSpec#none()} if not set. */
        public Builder spec(GremlinSpec spec) {
            this.spec = Objects.requireNonNull(spec, "spec");
            return this;
        }

        /** Adds a listener that hears every decision, in the order listeners were added. */
        public Builder listener(DecisionListener listener) {
            listeners.add(Objects.requireNonNull(listener, "listener"));
            return this;
        }

        /**
         * How many recent decisions to keep in memory, from 0 (none) to {@link
         * #MAX_RETAINED_DECISIONS}; bounds memory on long runs.
         */
        public Builder retainedDecisions(int retainedDecisions) {
            if (retainedDecisions < 0 || retainedDecisions > MAX_RETAINED_DECISIONS) {
                throw new IllegalArgumentException("retainedDecisions must be in [0, " + MAX_RETAINED_DECISIONS
                        + "], but was " + retainedDecisions);
            }
            this.retainedDecisions = retainedDecisions;
            return this;
        }

        /**
         * Replays {@code decisions} (as {@link DecisionLog#read} returns them) instead of deciding
         * from a spec: request {@code n} gets the logged decision for request {@code n}, applied to
         * whatever method and path it has, and requests the log has no decision for get none.
         */
        public Builder replay(List<GremlinDecision> decisions) {
            this.replay = List.copyOf(Objects.requireNonNull(decisions, "decisions"));
            return this;
        }

        /**
         * The gremlin. Everything is copied, so later changes to this builder do not reach it.
         *
         * @throws IllegalStateException if both a spec and a replay log are set
         * @throws IllegalArgumentException if the replay log has a request number twice
         */
        public Gremlin build() {
            if (spec != null && replay != null) {
                throw new IllegalStateException(
                        "a gremlin either follows a spec or replays a log, but both were set (spec '" + spec + "', "
                                + replay.size() + " logged decisions)");
            }
            Gremlin gremlin = new Gremlin(this);
            log.info("gremlin built: {}", gremlin);
            return gremlin;
        }
    }
}
