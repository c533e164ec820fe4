package io.valerix.core.health;

import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds the {@code GET /health} body from a {@link LatencyMonitor} and named
 * {@link HealthCheck}s.
 *
 * <pre>{@code
 * HealthReporter health = HealthReporter.builder(monitor)
 *     .check("database", databasePing)
 *     .build();
 * HealthReport report = health.report();
 * exchange.respondJson(report.httpStatus(), report);   // 200 UP, 503 DOWN
 * }</pre>
 *
 * <p>A check is required ({@link Builder#check}: DOWN makes the report DOWN, 503) or advisory
 * ({@link Builder#advisoryCheck}: shown with its own status, the report stays UP), for something
 * an operator must see but that does not stop the service doing its job, such as an archive that
 * is behind.
 *
 * <p>Immutable after {@link Builder#build()} and thread-safe if the checks are. Each
 * {@link #report()} judges the lights now and runs every check, in registration order.
 */
public final class HealthReporter {

    private static final Logger log = LoggerFactory.getLogger(HealthReporter.class);

    private final LatencyMonitor monitor;
    private final Map<String, HealthCheck> checks;
    private final Set<String> advisory;

    private HealthReporter(Builder builder) {
        this.monitor = builder.monitor;
        this.checks = new LinkedHashMap<>(builder.checks);
        this.advisory = Set.copyOf(builder.advisory);
    }

    /** A builder reporting on {@code monitor}, with no check yet. */
    public static Builder builder(LatencyMonitor monitor) {
        return new Builder(Objects.requireNonNull(monitor, "monitor"));
    }

    /** The report now: lights and figures judged now, every check run now. */
    public HealthReport report() {
        Map<String, HealthCheck.Result> results = new TreeMap<>();
        HealthReport.Status status = HealthReport.Status.UP;
        for (Map.Entry<String, HealthCheck> e : checks.entrySet()) {
            HealthCheck.Result result = run(e.getKey(), e.getValue());
            results.put(e.getKey(), result);
            if (result.status() == HealthReport.Status.DOWN && !advisory.contains(e.getKey())) {
                status = HealthReport.Status.DOWN;
            }
        }
        WindowHealth server = monitor.server();
        SortedMap<String, HealthReport.Dependency> dependencies = new TreeMap<>();
        monitor.dependencies().forEach((name, health) -> dependencies.put(name, HealthReport.Dependency.of(health)));
        HealthReport.Dependency figures = HealthReport.Dependency.of(server);
        HealthConfig config = monitor.config();
        return new HealthReport(
                status,
                server.light(),
                config.threshold().toMillis(),
                config.window().toMillis(),
                figures.count(),
                figures.ratePerSecond(),
                figures.errorRate(),
                figures.p50Ms(),
                figures.p90Ms(),
                figures.p99Ms(),
                figures.p999Ms(),
                figures.maxMs(),
                dependencies,
                results);
    }

    private static HealthCheck.Result run(String name, HealthCheck check) {
        try {
            HealthCheck.Result result = check.check();
            if (result == null) {
                log.warn("Health check '{}' returned null; reporting it DOWN", name);
                return HealthCheck.Result.down("check returned no result");
            }
            return result;
        } catch (RuntimeException e) {
            log.warn("Health check '{}' threw; reporting it DOWN", name, e);
            return HealthCheck.Result.down(
                    "check threw " + e.getClass().getName() + (e.getMessage() == null ? "" : ": " + e.getMessage()));
        }
    }

    /** Mutable builder of {@link HealthReporter}; not thread-safe. */
    public static final class Builder {
        private final LatencyMonitor monitor;
        private final Map<String, HealthCheck> checks = new LinkedHashMap<>();
        private final Set<String> advisory = new HashSet<>();

        private Builder(LatencyMonitor monitor) {
            this.monitor = monitor;
        }

        /**
         * Registers a readiness check under {@code name}, shown in the report's {@code checks}.
         *
         * @throws IllegalArgumentException if the name is blank or already registered
         */
        public Builder check(String name, HealthCheck check) {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(check, "check");
            if (name.isBlank()) {
                throw new IllegalArgumentException("check name must not be blank, but was '" + name + "'");
            }
            if (checks.putIfAbsent(name, check) != null) {
                throw new IllegalArgumentException("check '" + name + "' is already registered");
            }
            return this;
        }

        /**
         * Registers an advisory check under {@code name}: shown in the report's {@code checks} with
         * its own status, but a DOWN does not make the report DOWN (the service still does its job).
         *
         * @throws IllegalArgumentException if the name is blank or already registered
         */
        public Builder advisoryCheck(String name, HealthCheck check) {
            check(name, check);
            advisory.add(name);
            return this;
        }

        /** Builds; later changes to this builder do not reach the result. */
        public HealthReporter build() {
            return new HealthReporter(this);
        }
    }
}
