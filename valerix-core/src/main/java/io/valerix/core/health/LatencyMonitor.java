package io.valerix.core.health;

import io.valerix.core.health.RequestKey.Direction;
import io.valerix.core.health.internal.CumulativeHistogram;
import io.valerix.core.health.internal.LatencyWindow;
import io.valerix.core.health.internal.LightTracker;
import io.valerix.core.time.NanoClock;
import java.util.Collections;
import java.util.Comparator;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Measures a service: every request it answers and every call it makes, by {@link RequestKey}.
 *
 * <p>It keeps
 *
 * <ul>
 *   <li>a rolling latency window per key, with percentiles to 2 significant digits (within 1%)
 *       to keep memory small with many keys;
 *   <li>one window (3 significant digits) and {@link HealthLight light} for everything the
 *       server answered, and one per
 *       outbound dependency (the order service's view of inventory is what the dashboard
 *       watches);
 *   <li>never-reset counters and a latency histogram per key, with bucket bounds 0.005, 0.01,
 *       0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5, 10 s and +Inf, rendered as Prometheus text
 *       when the monitor is added as a {@link MetricsSource}.
 * </ul>
 *
 * <p>Thread-safe. {@link #record} is meant for the request path: a map look-up, two window
 * recordings and two counter increments, with a light judgement at most once per slice.
 */
public final class LatencyMonitor implements MetricsSource {

    private static final Logger log = LoggerFactory.getLogger(LatencyMonitor.class);

    /**
     * Distinct keys kept before new ones are folded into {@link #OVERFLOW_ROUTE}; at about 230 KB
     * per key window, this caps the monitor near 50 MB even if raw paths are passed as routes.
     */
    public static final int MAX_KEYS = 200;
    /** The route of keys recorded after {@link #MAX_KEYS} distinct keys exist. */
    public static final String OVERFLOW_ROUTE = "(other)";

    /*
     * Per-key windows use 2 significant digits (1%): measured ~230 KB per window instead of
     * ~1.3 MB, so dozens of keys cost megabytes, not tens of them. Windows that decide a light keep 3.
     */
    static final int KEY_WINDOW_DIGITS = 2;

    /** Orders keys as metrics and reports list them: server first, then by dependency, route. */
    static final Comparator<RequestKey> KEY_ORDER = Comparator.comparing(RequestKey::direction)
            .thenComparing(RequestKey::dependency)
            .thenComparing(RequestKey::route)
            .thenComparing(RequestKey::method)
            .thenComparing(k -> k.outcome().label());

    private final HealthConfig config;
    private final NanoClock clock;
    private final long originNanos;
    private final Scope server;
    private final ConcurrentHashMap<String, Scope> dependencies = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<RequestKey, Series> series = new ConcurrentHashMap<>();
    private final AtomicBoolean overflowLogged = new AtomicBoolean();

    private LatencyMonitor(HealthConfig config, NanoClock clock) {
        this.config = config;
        this.clock = clock;
        this.originNanos = clock.nanoTime();
        this.server = new Scope();
        for (String dependency : config.dependencies()) {
            dependencies.put(dependency, new Scope());
        }
    }

    /**
     * A monitor with {@code config}'s window and light settings, reading {@code clock}.
     *
     * @throws NullPointerException if an argument is null
     */
    public static LatencyMonitor of(HealthConfig config, NanoClock clock) {
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(clock, "clock");
        return new LatencyMonitor(config, clock);
    }

    /** The settings this monitor was created with. */
    public HealthConfig config() {
        return config;
    }

    /**
     * Records one request or call that took {@code latencyNanos} (measured on the same kind of
     * monotonic clock, such as {@link System#nanoTime()} differences).
     *
     * @throws NullPointerException if {@code key} is null
     * @throws IllegalArgumentException if {@code latencyNanos} is negative; nothing is recorded
     */
    public void record(RequestKey key, long latencyNanos) {
        Objects.requireNonNull(key, "key");
        if (latencyNanos < 0) {
            throw new IllegalArgumentException("latencyNanos must not be negative, but was " + latencyNanos);
        }
        long now = clock.nanoTime();
        boolean error = key.outcome().isError();
        Series s = seriesFor(key);
        s.window.recordAt(now, latencyNanos, error);
        s.cumulative.record(latencyNanos);
        Scope scope = key.direction() == Direction.SERVER
                ? server
                : dependencies.computeIfAbsent(key.dependency(), d -> new Scope());
        scope.record(now, latencyNanos, error);
    }

    /** The light and window of everything this service answered, judged now. */
    public WindowHealth server() {
        return server.health();
    }

    /** Each outbound dependency's light and window as this service sees them, by name. */
    public SortedMap<String, WindowHealth> dependencies() {
        SortedMap<String, WindowHealth> result = new TreeMap<>();
        dependencies.forEach((name, scope) -> result.put(name, scope.health()));
        return Collections.unmodifiableSortedMap(result);
    }

    /** Every key's window now, server keys first, then by dependency, route, method, outcome. */
    public SortedMap<RequestKey, WindowSnapshot> snapshotsByKey() {
        long now = clock.nanoTime();
        SortedMap<RequestKey, WindowSnapshot> result = new TreeMap<>(KEY_ORDER);
        series.forEach((key, s) -> result.put(key, s.window.snapshotAt(now)));
        return Collections.unmodifiableSortedMap(result);
    }

    /** Each key's never-reset counts, in {@link #KEY_ORDER}. */
    SortedMap<RequestKey, CumulativeHistogram.Counts> cumulativeCounts() {
        SortedMap<RequestKey, CumulativeHistogram.Counts> result = new TreeMap<>(KEY_ORDER);
        series.forEach((key, s) -> result.put(key, s.cumulative.counts()));
        return result;
    }

    /**
     * Writes this monitor's metrics:
     *
     * <ul>
     *   <li>{@code valerix_http_server_requests_total{route,method,status}} counter;
     *   <li>{@code valerix_http_server_request_duration_seconds{route,method,status}} histogram;
     *   <li>{@code valerix_http_client_requests_total{dependency,route,method,outcome}} counter;
     *   <li>{@code valerix_http_client_request_duration_seconds{dependency,route,method,outcome}}
     *       histogram;
     *   <li>{@code valerix_health_light{scope="server"|"client",dependency,state}} gauge, one series
     *       per state ({@code green}, {@code red}, {@code idle}): 1 for the current one, 0 otherwise,
     *       so {@code valerix_health_light{state="red"} == 1} is an alert;
     *   <li>{@code valerix_health_threshold_seconds} and
     *       {@code valerix_health_window_p99_seconds{scope,dependency}} gauges.
     * </ul>
     */
    @Override
    public void writeTo(MetricsWriter writer) {
        MonitorMetrics.write(this, writer);
    }

    private Series seriesFor(RequestKey key) {
        Series s = series.get(key);
        if (s != null) {
            return s;
        }
        RequestKey kept = key;
        // The size check races with other inserts; overshooting by a few keys is harmless.
        if (series.size() >= MAX_KEYS) {
            kept = key.withRoute(OVERFLOW_ROUTE);
            if (overflowLogged.compareAndSet(false, true)) {
                log.warn(
                        "More than {} distinct request keys; recording new ones under route '{}'."
                                + " Is a raw path being passed as the route? First folded key: {}",
                        MAX_KEYS,
                        OVERFLOW_ROUTE,
                        key);
            }
        }
        return series.computeIfAbsent(kept, k -> new Series(LatencyWindow.of(config, clock, KEY_WINDOW_DIGITS)));
    }

    private record Series(LatencyWindow window, CumulativeHistogram cumulative) {
        Series(LatencyWindow window) {
            this(window, new CumulativeHistogram());
        }
    }

    /** A window with a light: the server, or one dependency. */
    private final class Scope {
        private final LatencyWindow window = LatencyWindow.of(config, clock);
        private final LightTracker tracker = new LightTracker(config, originNanos);
        private volatile long lastJudgedSlice = -1;

        void record(long now, long latencyNanos, boolean error) {
            window.recordAt(now, latencyNanos, error);
            long slice = window.sliceOf(now);
            // Judge once per slice even if nobody reads the light, so transitions get their times
            // while traffic flows. Two threads may both judge; that is harmless.
            if (slice > lastJudgedSlice) {
                lastJudgedSlice = slice;
                health();
            }
        }

        // The clock is read under the lock so transitions are recorded in clock order.
        synchronized WindowHealth health() {
            long now = clock.nanoTime();
            WindowSnapshot snapshot = window.snapshotAt(now);
            HealthLight light = tracker.update(snapshot, now);
            return new WindowHealth(light, snapshot, tracker.transitions());
        }
    }
}
