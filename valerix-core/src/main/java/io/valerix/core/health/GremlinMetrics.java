package io.valerix.core.health;

import io.valerix.core.gremlin.Gremlin;
import java.util.Map;
import java.util.Objects;

/**
 * The gremlin's injections as Prometheus counters: {@code valerix_gremlin_decisions_total} and
 * {@code valerix_gremlin_injections_total{kind="delay_before|delay_after|error|reset|noresponse|slowbody"}}.
 *
 * <p>An adapter on the metrics side: it reads {@link Gremlin#counts()}, so the gremlin knows
 * nothing of metrics. Stateless and thread-safe.
 */
public final class GremlinMetrics implements MetricsSource {

    private final Gremlin gremlin;

    private GremlinMetrics(Gremlin gremlin) {
        this.gremlin = Objects.requireNonNull(gremlin, "gremlin");
    }

    /** The counters of {@code gremlin}, read at each scrape. */
    public static GremlinMetrics of(Gremlin gremlin) {
        return new GremlinMetrics(gremlin);
    }

    @Override
    public void writeTo(MetricsWriter writer) {
        Map<String, Long> counts = gremlin.counts().asMap();
        writer.counter("valerix_gremlin_decisions_total", "Requests the gremlin decided on.")
                .sample(counts.getOrDefault("decisions", 0L));
        MetricsWriter.Family injections = writer.counter(
                "valerix_gremlin_injections_total", "Latencies and faults the gremlin injected, by kind.");
        counts.forEach((kind, count) -> {
            if (!kind.equals("decisions")) {
                injections.sample(count, "kind", kind);
            }
        });
    }
}
