package io.valerix.core.gremlin;

import io.valerix.core.health.MetricsSource;
import io.valerix.core.health.MetricsWriter;
import java.util.Map;
import java.util.Objects;

/**
 * The gremlin's injections as Prometheus counters: {@code valerix_gremlin_decisions_total} and
 * {@code valerix_gremlin_injections_total{kind="delay_before|delay_after|error|reset|noresponse|slowbody"}}.
 */
public final class GremlinMetrics implements MetricsSource {

  private final Gremlin gremlin;

  public GremlinMetrics(Gremlin gremlin) {
    this.gremlin = Objects.requireNonNull(gremlin, "gremlin");
  }

  @Override
  public void writeTo(MetricsWriter writer) {
    Map<String, Long> counts = gremlin.counts().asMap();
    writer.counter("valerix_gremlin_decisions_total", "Requests the gremlin decided on.")
        .sample(counts.getOrDefault("decisions", 0L));
    MetricsWriter.Family injections = writer.counter("valerix_gremlin_injections_total", "Latencies and faults the gremlin injected, by kind.");
    counts.forEach((kind, count) -> {
      if (!kind.equals("decisions")) {
        injections.sample(count, "kind", kind);
      }
    });
  }
}
