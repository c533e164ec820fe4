package io.valerix.core.health.micrometer;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.valerix.core.health.HealthLight;
import io.valerix.core.health.LatencyMonitor;
import io.valerix.core.health.WindowHealth;
import io.valerix.core.health.WindowSnapshot;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.function.ToDoubleFunction;

/**
 * Binds a {@link LatencyMonitor}'s lights and rolling windows to a Micrometer
 * {@link MeterRegistry}, so an application that already reports through Micrometer sees the
 * figures that Valerix's {@code /health} and {@code /metrics} show.
 *
 * <p>Meters, each tagged {@code scope} ({@code server}, or {@code client} with {@code dependency}
 * naming the called service):
 *
 * <ul>
 *   <li>{@code valerix.health.light} (tag {@code state}: {@code green}, {@code red},
 *       {@code idle}): 1 for the current state, 0 for the others, as on {@code /metrics};
 *   <li>{@code valerix.latency.window} (seconds, tag {@code percentile}: {@code p50},
 *       {@code p90}, {@code p99}, {@code p999}, {@code max}): the rolling window's latency;
 *   <li>{@code valerix.latency.window.requests}: requests in the window;
 *   <li>{@code valerix.latency.window.error.rate}: their share of errors, 0 to 1.
 * </ul>
 *
 * <p>The server scope is always bound; a dependency is bound if it is named here or the
 * monitor has seen a call to it when {@link #bindTo} runs. Name the dependencies up front: one
 * first called after binding is not added later. Per-route counters and histograms stay on
 * {@code /metrics} (their routes are only known as requests arrive).
 *
 * <p>Gauges read the monitor when the registry asks (each judges the window at that moment) and
 * hold it strongly. Immutable and thread-safe.
 */
public final class LatencyMonitorMetrics implements MeterBinder {

    private final LatencyMonitor monitor;
    private final SortedSet<String> dependencies;

    private LatencyMonitorMetrics(LatencyMonitor monitor, SortedSet<String> dependencies) {
        this.monitor = monitor;
        this.dependencies = dependencies;
    }

    /**
     * A binder for {@code monitor}'s server scope and the named outbound dependencies.
     *
     * @throws NullPointerException if {@code monitor} or a dependency name is null
     * @throws IllegalArgumentException if a dependency name is blank
     */
    public static LatencyMonitorMetrics of(LatencyMonitor monitor, String... dependencies) {
        Objects.requireNonNull(monitor, "monitor");
        SortedSet<String> names = new TreeSet<>();
        for (String name : Objects.requireNonNull(dependencies, "dependencies")) {
            Objects.requireNonNull(name, "dependency");
            if (name.isBlank()) {
                throw new IllegalArgumentException("dependency must not be blank, but was '" + name + "'");
            }
            names.add(name);
        }
        return new LatencyMonitorMetrics(monitor, names);
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        Objects.requireNonNull(registry, "registry");
        bindScope(registry, Tags.of("scope", "server", "dependency", ""), monitor::server);
        SortedSet<String> bound = new TreeSet<>(dependencies);
        bound.addAll(monitor.dependencies().keySet());
        for (String dependency : bound) {
            bindScope(
                    registry,
                    Tags.of("scope", "client", "dependency", dependency),
                    () -> monitor.dependencies().getOrDefault(dependency, IDLE));
        }
    }

    /** A dependency the monitor has not seen a call to yet: idle, an empty window. */
    private static final WindowHealth IDLE = new WindowHealth(HealthLight.IDLE, WindowSnapshot.EMPTY, List.of());

    private static void bindScope(MeterRegistry registry, Tags scope, Supplier<WindowHealth> health) {
        for (HealthLight light : HealthLight.values()) {
            gauge(
                    registry,
                    "valerix.health.light",
                    "1 for the light's current state, 0 for the others.",
                    scope.and("state", light.name().toLowerCase(Locale.ROOT)),
                    null,
                    health,
                    h -> h.light() == light ? 1 : 0);
        }
        List<Percentile> percentiles = List.of(
                new Percentile("p50", WindowSnapshot::p50),
                new Percentile("p90", WindowSnapshot::p90),
                new Percentile("p99", WindowSnapshot::p99),
                new Percentile("p999", WindowSnapshot::p999),
                new Percentile("max", WindowSnapshot::max));
        for (Percentile p : percentiles) {
            gauge(
                    registry,
                    "valerix.latency.window",
                    "Latency in the rolling window.",
                    scope.and("percentile", p.name()),
                    "seconds",
                    health,
                    h -> p.value().apply(h.window()).toNanos() / 1e9);
        }
        gauge(
                registry,
                "valerix.latency.window.requests",
                "Requests in the rolling window.",
                scope,
                "requests",
                health,
                h -> h.window().count());
        gauge(
                registry,
                "valerix.latency.window.error.rate",
                "Share of the window's requests that failed.",
                scope,
                null,
                health,
                h -> h.window().errorRate());
    }

    private static void gauge(
            MeterRegistry registry,
            String name,
            String description,
            Tags tags,
            String baseUnit,
            Supplier<WindowHealth> health,
            ToDoubleFunction<WindowHealth> value) {
        Gauge.builder(name, health, s -> value.applyAsDouble(s.get()))
                .description(description)
                .baseUnit(baseUnit)
                .tags(tags)
                .strongReference(true)
                .register(registry);
    }

    private record Percentile(String name, Function<WindowSnapshot, Duration> value) {}
}
