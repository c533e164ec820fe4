package io.valerix.core.health;

/**
 * A component that contributes metrics to {@code GET /metrics}: it writes its counters, gauges
 * and histograms into the page being rendered.
 *
 * <pre>{@code
 * MetricsSource gremlinMetrics = writer -> {
 *   MetricsWriter.Family injections = writer.counter(
 *       "valerix_gremlin_injections_total", "Faults and delays injected by the gremlin, by kind.");
 *   injections.sample(delays.sum(), "kind", "delay");
 *   injections.sample(resets.sum(), "kind", "reset");
 * };
 * }</pre>
 *
 * <p>Implementations are called on every scrape, from the scraping thread, possibly
 * concurrently with the component's own work: they must be thread-safe, quick and non-blocking
 * (read counters, do not query a database). Each metric name must be written once, by one
 * source, with all its samples together. A source that throws is left out of that scrape and
 * the failure logged; the other sources still render.
 */
@FunctionalInterface
public interface MetricsSource {

    /**
     * Writes this source's metric families into {@code writer}.
     *
     * @throws IllegalArgumentException or {@link IllegalStateException} from the writer when a
     *     name, label or value breaks the exposition format's rules
     */
    void writeTo(MetricsWriter writer);
}
