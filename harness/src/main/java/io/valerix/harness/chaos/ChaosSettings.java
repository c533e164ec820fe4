package io.valerix.harness.chaos;

import io.valerix.core.gremlin.GremlinSpec;
import java.time.Duration;
import java.util.Objects;

/**
 * How a chaos run drives the services. Immutable; built with {@link #builder()} and validated in
 * {@link Builder#build()}.
 *
 * <p>New orders are sent for {@link #duration()}: the first quarter is the <em>baseline</em> (no
 * gremlin), the middle half <em>chaos</em> (the gremlin {@link #gremlin()} on), the last quarter
 * <em>recovery</em> (gremlin off again). Then the run waits for requests in flight (at most {@link
 * #drainTimeout()}), for the reconciler to settle PENDING orders (at most {@link
 * #settleTimeout()}), and checks.
 */
public final class ChaosSettings {

    /** The original system's inventory gremlin. */
    public static final String DEFAULT_GREMLIN = "uniform(0ms,5s) after";

    public static final Duration DEFAULT_DURATION = Duration.ofSeconds(60);
    public static final double DEFAULT_RATE = 50;
    public static final double DEFAULT_DUPLICATES = 0.2;
    public static final double DEFAULT_IMPATIENT = 0.1;
    public static final Duration DEFAULT_ORDER_TIMEOUT = Duration.ofSeconds(2);
    public static final int DEFAULT_MAX_IN_FLIGHT = 1000;
    public static final Duration DEFAULT_SETTLE_TIMEOUT = Duration.ofSeconds(30);
    public static final Duration DEFAULT_DRAIN_TIMEOUT = Duration.ofSeconds(30);
    /** The most new orders one run may plan, so a typo in the rate cannot flood the machine. */
    public static final long MAX_INTENTS = 1_000_000;

    private final Duration duration;
    private final double rate;
    private final int users;
    private final double duplicates;
    private final double impatient;
    private final GremlinSpec gremlin;
    private final Duration orderTimeout;
    private final long seed;
    private final int maxInFlight;
    private final Duration settleTimeout;
    private final Duration drainTimeout;

    private ChaosSettings(Builder b) {
        this.duration = b.duration;
        this.rate = b.rate;
        this.users = b.users;
        this.duplicates = b.duplicates;
        this.impatient = b.impatient;
        this.gremlin = b.gremlin;
        this.orderTimeout = b.orderTimeout;
        this.seed = b.seed;
        this.maxInFlight = b.maxInFlight;
        this.settleTimeout = b.settleTimeout;
        this.drainTimeout = b.drainTimeout;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** How long new orders are sent, all three phases together. */
    public Duration duration() {
        return duration;
    }

    /** New orders per second in the open model (duplicates, retries and follow-ups come on top). */
    public double rate() {
        return rate;
    }

    /** Users of the closed model, each placing one order after another; 0 for the open model. */
    public int users() {
        return users;
    }

    /** The share of orders submitted twice: half of them concurrently, half later, fields reordered. */
    public double duplicates() {
        return duplicates;
    }

    /** The share of users who give up after half the order timeout and retry with the same key. */
    public double impatient() {
        return impatient;
    }

    /** The inventory gremlin during the chaos phase. */
    public GremlinSpec gremlin() {
        return gremlin;
    }

    /**
     * How long the order service waits for inventory. The client waits this plus 2 s before it
     * calls a request timed out (an impatient one half of it), and asks again about a PENDING order
     * after this plus 1.5 s, when the reconciler may have settled it.
     */
    public Duration orderTimeout() {
        return orderTimeout;
    }

    /** The seed of the workload and the gremlin. */
    public long seed() {
        return seed;
    }

    /** The most requests the client has in flight; past it, sends wait (and the wait counts as latency). */
    public int maxInFlight() {
        return maxInFlight;
    }

    /** The most the check waits for the reconciler to settle PENDING orders. */
    public Duration settleTimeout() {
        return settleTimeout;
    }

    /** The most the run waits for requests still in flight (and retries) after sending stops. */
    public Duration drainTimeout() {
        return drainTimeout;
    }

    /** How long the client waits for an answer. */
    public Duration clientTimeout(boolean impatientUser) {
        return impatientUser ? orderTimeout.dividedBy(2) : orderTimeout.plusSeconds(2);
    }

    /** How long after a PENDING answer the client asks again. */
    public Duration followUpDelay() {
        return orderTimeout.plusMillis(1500);
    }

    /** Sending starts at 0; chaos begins here. */
    public Duration chaosStart() {
        return duration.dividedBy(4);
    }

    /** Recovery begins here. */
    public Duration recoveryStart() {
        return duration.minus(duration.dividedBy(4));
    }

    /** The number of new orders the open model plans. */
    public long plannedIntents() {
        return users > 0 ? MAX_INTENTS : (long) Math.floor(rate * duration.toNanos() / 1e9);
    }

    /** Builds {@link ChaosSettings}; not thread-safe. */
    public static final class Builder {
        private Duration duration = DEFAULT_DURATION;
        private double rate = DEFAULT_RATE;
        private int users;
        private double duplicates = DEFAULT_DUPLICATES;
        private double impatient = DEFAULT_IMPATIENT;
        private GremlinSpec gremlin = GremlinSpec.parse(DEFAULT_GREMLIN);
        private Duration orderTimeout = DEFAULT_ORDER_TIMEOUT;
        private long seed;
        private int maxInFlight = DEFAULT_MAX_IN_FLIGHT;
        private Duration settleTimeout = DEFAULT_SETTLE_TIMEOUT;
        private Duration drainTimeout = DEFAULT_DRAIN_TIMEOUT;

        private Builder() {}

        public Builder duration(Duration duration) {
            this.duration = Objects.requireNonNull(duration, "duration");
            return this;
        }

        public Builder rate(double rate) {
            this.rate = rate;
            return this;
        }

        public Builder users(int users) {
            this.users = users;
            return this;
        }

        public Builder duplicates(double duplicates) {
            this.duplicates = duplicates;
            return this;
        }

        public Builder impatient(double impatient) {
            this.impatient = impatient;
            return this;
        }

        public Builder gremlin(GremlinSpec gremlin) {
            this.gremlin = Objects.requireNonNull(gremlin, "gremlin");
            return this;
        }

        public Builder orderTimeout(Duration orderTimeout) {
            this.orderTimeout = Objects.requireNonNull(orderTimeout, "orderTimeout");
            return this;
        }

        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        public Builder maxInFlight(int maxInFlight) {
            this.maxInFlight = maxInFlight;
            return this;
        }

        public Builder settleTimeout(Duration settleTimeout) {
            this.settleTimeout = Objects.requireNonNull(settleTimeout, "settleTimeout");
            return this;
        }

        public Builder drainTimeout(Duration drainTimeout) {
            this.drainTimeout = Objects.requireNonNull(drainTimeout, "drainTimeout");
            return this;
        }

        /**
         * @throws IllegalArgumentException naming the setting and its value, for a duration under 4 s
         *     or over 24 h, a rate not in (0, 10000], users not in [0, 10000], a share not in [0, 1],
         *     an order timeout under 1 ms, max in flight not in [1, 100000], or a settle or drain
         *     timeout under 1 s
         */
        public ChaosSettings build() {
            if (duration.compareTo(Duration.ofSeconds(4)) < 0 || duration.compareTo(Duration.ofHours(24)) > 0) {
                throw new IllegalArgumentException(
                        "duration must be 4s..24h (a second per phase at least), but was " + duration);
            }
            if (!(rate > 0 && rate <= 10_000)) {
                throw new IllegalArgumentException(
                        "rate must be more than 0 and at most 10000 orders per second, but was " + rate);
            }
            if (users < 0 || users > 10_000) {
                throw new IllegalArgumentException("users must be 0 (open model) to 10000, but was " + users);
            }
            if (!(duplicates >= 0 && duplicates <= 1)) {
                throw new IllegalArgumentException("duplicates must be a share in [0, 1], but was " + duplicates);
            }
            if (!(impatient >= 0 && impatient <= 1)) {
                throw new IllegalArgumentException("impatient must be a share in [0, 1], but was " + impatient);
            }
            if (orderTimeout.toMillis() < 1) {
                throw new IllegalArgumentException("orderTimeout must be at least 1ms, but was " + orderTimeout);
            }
            if (maxInFlight < 1 || maxInFlight > 100_000) {
                throw new IllegalArgumentException("maxInFlight must be 1..100000, but was " + maxInFlight);
            }
            if (settleTimeout.compareTo(Duration.ofSeconds(1)) < 0) {
                throw new IllegalArgumentException("settleTimeout must be at least 1s, but was " + settleTimeout);
            }
            if (drainTimeout.compareTo(Duration.ofSeconds(1)) < 0) {
                throw new IllegalArgumentException("drainTimeout must be at least 1s, but was " + drainTimeout);
            }
            if (users == 0 && rate * duration.toNanos() / 1e9 > MAX_INTENTS) {
                throw new IllegalArgumentException("rate x duration must plan at most " + MAX_INTENTS
                        + " orders, but plans " + (long) (rate * duration.toNanos() / 1e9));
            }
            return new ChaosSettings(this);
        }
    }
}
