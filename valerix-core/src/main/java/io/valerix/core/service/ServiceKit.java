package io.valerix.core.service;

import io.valerix.core.gremlin.Gremlin;
import io.valerix.core.gremlin.GremlinAdmin;
import io.valerix.core.gremlin.GremlinFilter;
import io.valerix.core.health.GremlinMetrics;
import io.valerix.core.health.HealthCheck;
import io.valerix.core.health.HealthConfig;
import io.valerix.core.health.HealthReporter;
import io.valerix.core.health.HealthRoutes;
import io.valerix.core.health.LatencyMonitor;
import io.valerix.core.health.LatencyRecordingFilter;
import io.valerix.core.health.MetricsSource;
import io.valerix.core.health.PrometheusExposition;
import io.valerix.core.http.BearerTokenFilter;
import io.valerix.core.http.Filter;
import io.valerix.core.http.JsonServer;
import io.valerix.core.idempotency.IdempotencyFilter;
import io.valerix.core.time.NanoClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Valerix's standard filters and operator routes, put on any {@link JsonServer} in the one order in
 * which they work together:
 *
 * <ol>
 *   <li>latency recording into the {@linkplain #monitor() monitor} (outermost, so the light sees
 *       what clients see: the gremlin's delays, refusals and all);
 *   <li>the admin token on {@code /admin/**} ({@link BearerTokenFilter#admin}), if one is set;
 *   <li>the {@linkplain Builder#filter extra filters}, in the order added (outside the gremlin, so
 *       that they see a request's whole time, the injected delays included);
 *   <li>the gremlin ({@link GremlinFilter}), if one is set: it plays the network, so it sits
 *       outside the service's own work;
 *   <li>idempotency ({@link IdempotencyFilter}, innermost), if set: it records what the routes
 *       answered, not what the gremlin did to the answer;
 * </ol>
 *
 * and the routes {@code GET /health} (the light plus the {@linkplain Builder#healthCheck checks}),
 * {@code GET /metrics} (the monitor, the gremlin's counts and the {@linkplain Builder#metrics
 * sources}) and, with a gremlin and an admin token, {@code GET|PUT /admin/gremlin} ({@link
 * GremlinAdmin}). {@link Builder#maxDeadline} caps the deadline a caller's budget header ({@value
 * io.valerix.core.http.ValerixHeaders#BUDGET_MS}) may ask for.
 *
 * <pre>{@code
 * ServiceKit kit = ServiceKit.builder().adminToken(token).gremlin(gremlin).build();
 * JsonServer server = kit.installOn(JsonServer.builder().route("GET", "/hello", hello)).build().start();
 * }</pre>
 *
 * <p>{@code OrderServer} and {@code InventoryServer} take a kit and add their own database check,
 * metrics and idempotency to it ({@link #toBuilder()}). Anything the kit installs must come after
 * filters that refuse requests outright (a Host allow-list, a service token), which the caller adds
 * first. Immutable and thread-safe; one kit may be installed on several servers, which then share
 * its monitor and gremlin.
 */
public final class ServiceKit {

    private final LatencyMonitor monitor;
    private final NanoClock clock;
    private final String adminToken;
    private final Gremlin gremlin;
    private final Duration maxDeadline;
    private final List<Filter> filters;
    private final IdempotencyFilter idempotency;
    private final Map<String, HealthCheck> checks;
    private final Set<String> advisory;
    private final List<MetricsSource> metrics;

    private ServiceKit(Builder b, LatencyMonitor monitor) {
        this.monitor = monitor;
        this.clock = b.clock;
        this.adminToken = b.adminToken;
        this.gremlin = b.gremlin;
        this.maxDeadline = b.maxDeadline;
        this.filters = List.copyOf(b.filters);
        this.idempotency = b.idempotency;
        this.checks = Collections.unmodifiableMap(new LinkedHashMap<>(b.checks));
        this.advisory = Set.copyOf(b.advisory);
        this.metrics = List.copyOf(b.metrics);
    }

    /** A builder with no admin token, no gremlin, no idempotency and a monitor on {@link HealthConfig#defaults()}. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding this kit's settings (the same monitor and gremlin), to add to. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.monitor = monitor;
        b.clock = clock;
        b.adminToken = adminToken;
        b.gremlin = gremlin;
        b.maxDeadline = maxDeadline;
        b.filters.addAll(filters);
        b.idempotency = idempotency;
        b.checks.putAll(checks);
        b.advisory.addAll(advisory);
        b.metrics.addAll(metrics);
        return b;
    }

    /** The latency monitor behind the light, {@code /health} and {@code /metrics}. */
    public LatencyMonitor monitor() {
        return monitor;
    }

    /** The gremlin the kit puts in front of the routes, if any. */
    public Optional<Gremlin> gremlin() {
        return Optional.ofNullable(gremlin);
    }

    /**
     * Adds the kit's filters (in the order the class comment gives) and routes to {@code server}.
     * Filters already on {@code server} run outside them.
     *
     * @throws IllegalArgumentException if {@code server} already has one of the kit's routes
     */
    public JsonServer.Builder installOn(JsonServer.Builder server) {
        Objects.requireNonNull(server, "server");
        if (maxDeadline != null) {
            server.maxDeadline(maxDeadline);
        }
        server.filter(new LatencyRecordingFilter(monitor, clock));
        if (adminToken != null) {
            server.filter(BearerTokenFilter.admin(adminToken));
        }
        filters.forEach(server::filter);
        if (gremlin != null) {
            server.filter(GremlinFilter.of(gremlin));
        }
        if (idempotency != null) {
            server.filter(idempotency);
        }
        HealthReporter.Builder reporter = HealthReporter.builder(monitor);
        checks.forEach((name, check) -> {
            if (advisory.contains(name)) {
                reporter.advisoryCheck(name, check);
            } else {
                reporter.check(name, check);
            }
        });
        PrometheusExposition.Builder exposition = PrometheusExposition.builder().source(monitor);
        if (gremlin != null) {
            exposition.source(GremlinMetrics.of(gremlin));
        }
        metrics.forEach(exposition::source);
        HealthRoutes.install(server, reporter.build(), exposition.build());
        if (gremlin != null && adminToken != null) {
            GremlinAdmin.install(server, gremlin, adminToken);
        }
        return server;
    }

    @Override
    public String toString() {
        return "ServiceKit[admin token " + (adminToken == null ? "none" : "set") + ", gremlin " + gremlin
                + ", idempotency " + (idempotency == null ? "off" : "on") + ", checks " + checks.keySet() + "]";
    }

    /** Builds a {@link ServiceKit}; not thread-safe; {@link #build()} validates and copies. */
    public static final class Builder {
        private LatencyMonitor monitor;
        private HealthConfig health;
        private NanoClock clock = NanoClock.system();
        private String adminToken;
        private Gremlin gremlin;
        private Duration maxDeadline;
        private final List<Filter> filters = new ArrayList<>();
        private IdempotencyFilter idempotency;
        private final Map<String, HealthCheck> checks = new LinkedHashMap<>();
        private final Set<String> advisory = new HashSet<>();
        private final List<MetricsSource> metrics = new ArrayList<>();

        private Builder() {}

        /** The monitor to record into; or give a {@link #health(HealthConfig)} and the kit makes one. */
        public Builder monitor(LatencyMonitor monitor) {
            this.monitor = Objects.requireNonNull(monitor, "monitor");
            return this;
        }

        /** The settings of the monitor the kit makes when none is given; {@link HealthConfig#defaults()} unless set. */
        public Builder health(HealthConfig config) {
            this.health = Objects.requireNonNull(config, "config");
            return this;
        }

        /** The clock latencies are measured on; the system's unless set. */
        public Builder clock(NanoClock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * The operators' token: every path under {@code /admin} needs it, and {@code /admin/gremlin}
         * exists only with it. Without one, nothing under {@code /admin} is protected by the kit.
         *
         * @throws IllegalArgumentException if it is not a valid token ({@link BearerTokenFilter#validToken})
         */
        public Builder adminToken(String token) {
            this.adminToken = BearerTokenFilter.validToken("admin", token);
            return this;
        }

        /** The gremlin in front of every route but the operator routes. */
        public Builder gremlin(Gremlin gremlin) {
            this.gremlin = Objects.requireNonNull(gremlin, "gremlin");
            return this;
        }

        /** The most any request may run, whatever budget its caller sends; the server's default unless set. */
        public Builder maxDeadline(Duration maxDeadline) {
            this.maxDeadline = Objects.requireNonNull(maxDeadline, "maxDeadline");
            return this;
        }

        /** Adds a filter inside the admin token and outside the gremlin; the first added runs outermost. */
        public Builder filter(Filter filter) {
            filters.add(Objects.requireNonNull(filter, "filter"));
            return this;
        }

        /** The idempotency filter, innermost; none unless set. */
        public Builder idempotency(IdempotencyFilter filter) {
            this.idempotency = Objects.requireNonNull(filter, "filter");
            return this;
        }

        /**
         * Adds a check to {@code /health}. It runs on every {@code /health} request, so it should read
         * a verdict from memory (for example {@code readiness.result("database")}), not borrow from the
         * request pool.
         *
         * @throws IllegalArgumentException if a check has that name already
         */
        public Builder healthCheck(String name, HealthCheck check) {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(check, "check");
            if (checks.putIfAbsent(name, check) != null) {
                throw new IllegalArgumentException("a health check named '" + name + "' was added twice");
            }
            return this;
        }

        /**
         * Adds an advisory check to {@code /health}: shown with its own status, while the report stays
         * UP (200) when it is DOWN, for something an operator must see that does not stop the service
         * doing its job, such as an archive that is behind. Read from memory, like {@link #healthCheck}.
         *
         * @throws IllegalArgumentException if a check has that name already
         */
        public Builder advisoryHealthCheck(String name, HealthCheck check) {
            healthCheck(name, check);
            advisory.add(name);
            return this;
        }

        /** Adds a source of {@code /metrics} beside the monitor and the gremlin. */
        public Builder metrics(MetricsSource source) {
            metrics.add(Objects.requireNonNull(source, "source"));
            return this;
        }

        /**
         * The kit.
         *
         * @throws IllegalStateException if both a monitor and health settings are given
         * @throws IllegalArgumentException if {@code maxDeadline} is under 1 ms
         */
        public ServiceKit build() {
            if (monitor != null && health != null) {
                throw new IllegalStateException(
                        "give a monitor or its health settings, not both (the monitor has its own)");
            }
            if (maxDeadline != null && maxDeadline.toMillis() < 1) {
                throw new IllegalArgumentException("maxDeadline must be at least 1 ms, but was " + maxDeadline);
            }
            LatencyMonitor built = monitor != null
                    ? monitor
                    : LatencyMonitor.of(health != null ? health : HealthConfig.defaults(), clock);
            return new ServiceKit(this, built);
        }
    }
}
