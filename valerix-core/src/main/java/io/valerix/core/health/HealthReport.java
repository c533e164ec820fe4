package io.valerix.core.health;

import com.fasterxml.jackson.annotation.JsonIgnore;
import java.time.Duration;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * The body of {@code GET /health}: liveness/readiness, the server's light and window figures,
 * each dependency's light and figures as this service sees them, and the checks' verdicts.
 *
 * <pre>{@code
 * {"status":"UP","light":"GREEN","thresholdMs":1000,"windowMs":10000,
 *  "count":1200,"ratePerSecond":120.0,"errorRate":0.0025,
 *  "p50Ms":12.003,"p90Ms":40.01,"p99Ms":230.5,"p999Ms":480.2,"maxMs":512.0,
 *  "dependencies":{"inventory":{"light":"RED","count":300,"ratePerSecond":30.0,"errorRate":0.1,
 *                               "p50Ms":...,"maxMs":2001.0}},
 *  "checks":{"database":{"status":"UP"}}}
 * }</pre>
 *
 * <p><b>UP or DOWN</b> follows Spring Boot Actuator: the server answers {@link #httpStatus()},
 * 200 for UP and 503 for DOWN. DOWN means a registered {@link HealthCheck} failed (the service
 * cannot do its job: its database does not answer); slowness is not DOWN. A RED light is still
 * UP, so a load balancer does not pull a slow but working instance, while the dashboard shows
 * RED. An advisory check (an archive that is behind) shows DOWN in {@code checks} and leaves the
 * status UP.
 *
 * <p>Latencies are in milliseconds rounded to the microsecond, rates rounded to 3 decimals, the
 * error rate to 4. Maps are sorted by name. Immutable and thread-safe; serializes with a plain
 * Jackson {@code ObjectMapper} in component order, and reads back.
 *
 * @param status UP unless a required (not advisory) check is DOWN
 * @param light the server's light
 * @param thresholdMs the p99 at or above which a light turns RED
 * @param windowMs the rolling window's length
 * @param count requests answered in the window
 * @param ratePerSecond requests per second over the window
 * @param errorRate share of the window's requests that failed (5xx, timeout, transport error)
 * @param p50Ms median latency in the window
 * @param p90Ms 90th percentile latency
 * @param p99Ms 99th percentile latency, what the light watches
 * @param p999Ms 99.9th percentile latency
 * @param maxMs largest latency
 * @param dependencies each outbound dependency's light and figures, by name
 * @param checks each registered check's verdict, by name
 */
public record HealthReport(
        Status status,
        HealthLight light,
        long thresholdMs,
        long windowMs,
        long count,
        double ratePerSecond,
        double errorRate,
        double p50Ms,
        double p90Ms,
        double p99Ms,
        double p999Ms,
        double maxMs,
        Map<String, Dependency> dependencies,
        Map<String, HealthCheck.Result> checks) {

    /** Whether the service can do its job; see {@link HealthReport}. */
    public enum Status {
        /** Every required check passed (or none is registered). */
        UP,
        /** At least one required check failed. */
        DOWN
    }

    /** Checks the components; copies the maps, sorted by name. */
    public HealthReport {
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(light, "light");
        dependencies = Collections.unmodifiableMap(new TreeMap<>(Objects.requireNonNull(dependencies, "dependencies")));
        checks = Collections.unmodifiableMap(new TreeMap<>(Objects.requireNonNull(checks, "checks")));
    }

    /** The HTTP status to answer with: 200 for UP, 503 for DOWN. */
    @JsonIgnore
    public int httpStatus() {
        return status == Status.UP ? 200 : 503;
    }

    /**
     * One dependency's light and window figures, as this service sees its calls. Immutable.
     *
     * @param light the dependency's light
     * @param count calls in the window
     * @param ratePerSecond calls per second over the window
     * @param errorRate share of calls that failed or timed out
     * @param p50Ms median call latency
     * @param p90Ms 90th percentile call latency
     * @param p99Ms 99th percentile call latency, what the light watches
     * @param p999Ms 99.9th percentile call latency
     * @param maxMs largest call latency
     */
    public record Dependency(
            HealthLight light,
            long count,
            double ratePerSecond,
            double errorRate,
            double p50Ms,
            double p90Ms,
            double p99Ms,
            double p999Ms,
            double maxMs) {

        /** Checks the light is given. */
        public Dependency {
            Objects.requireNonNull(light, "light");
        }

        /** The figures of {@code health}, rounded as documented on {@link HealthReport}. */
        public static Dependency of(WindowHealth health) {
            WindowSnapshot w = health.window();
            return new Dependency(
                    health.light(),
                    w.count(),
                    round(w.ratePerSecond(), 1e3),
                    round(w.errorRate(), 1e4),
                    millis(w.p50()),
                    millis(w.p90()),
                    millis(w.p99()),
                    millis(w.p999()),
                    millis(w.max()));
        }
    }

    static double millis(Duration d) {
        return Math.round(d.toNanos() / 1e3) / 1e3;
    }

    static double round(double value, double scale) {
        return Math.round(value * scale) / scale;
    }
}
