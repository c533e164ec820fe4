package io.valerix.core.health;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code GET /metrics} page: renders every registered {@link MetricsSource} as Prometheus
 * text exposition format 0.0.4, served with {@link #CONTENT_TYPE}.
 *
 * <pre>{@code
 * PrometheusExposition metrics = PrometheusExposition.builder()
 *     .source(monitor)            // requests, latency histograms, lights
 *     .source(gremlin::writeMetrics)
 *     .build();
 * exchange.respond(200, PrometheusExposition.CONTENT_TYPE, metrics.render());
 * }</pre>
 *
 * <p>Sources render in registration order. A source that throws is left out of that page (what
 * it had written is removed, so the page still parses), the failure is logged at WARN and
 * counted in {@code valerix_metrics_source_failures_total}, rendered last.
 *
 * <p>Immutable after {@link Builder#build()} and thread-safe: concurrent scrapes render
 * independent pages (sources must be thread-safe themselves).
 */
public final class PrometheusExposition {

    /** The {@code Content-Type} of a rendered page. */
    public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private static final Logger log = LoggerFactory.getLogger(PrometheusExposition.class);

    private final List<MetricsSource> sources;
    private final LongAdder failures = new LongAdder();

    private PrometheusExposition(List<MetricsSource> sources) {
        this.sources = List.copyOf(sources);
    }

    /** A builder with no source. */
    public static Builder builder() {
        return new Builder();
    }

    /** Renders the page now; the text is UTF-8 when sent. */
    public String render() {
        MetricsWriter writer = new MetricsWriter();
        for (MetricsSource source : sources) {
            MetricsWriter.Mark mark = writer.mark();
            try {
                source.writeTo(writer);
            } catch (RuntimeException e) {
                writer.rollback(mark);
                failures.increment();
                log.warn("Metrics source {} failed; its metrics are left out of this page", source, e);
            }
        }
        writer.mark();
        writer.counter(
                        "valerix_metrics_source_failures_total",
                        "Metrics sources that threw while rendering this page, since start.")
                .sample(failures.sum());
        return writer.text();
    }

    /** Mutable builder of {@link PrometheusExposition}; not thread-safe. */
    public static final class Builder {
        private final List<MetricsSource> sources = new ArrayList<>();

        private Builder() {}

        /** Adds a source, rendered after those added before it. */
        public Builder source(MetricsSource source) {
            sources.add(Objects.requireNonNull(source, "source"));
            return this;
        }

        /** Builds; later changes to this builder do not reach the result. */
        public PrometheusExposition build() {
            return new PrometheusExposition(sources);
        }
    }
}
