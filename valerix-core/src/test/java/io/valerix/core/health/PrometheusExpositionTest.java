package io.valerix.core.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.valerix.core.time.ManualNanoClock;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class PrometheusExpositionTest {

    private static final String RESERVE_BUCKET = "valerix_http_server_request_duration_seconds_bucket"
            + "{route=\"/reservations/{orderId}\",method=\"PUT\",status=\"200\",le=\"";
    private static final RequestKey RESERVE_OK =
            RequestKey.server("PUT", "/reservations/{orderId}", Outcome.status(200));

    private final ManualNanoClock clock = new ManualNanoClock();
    private final LatencyMonitor monitor =
            LatencyMonitor.of(HealthConfig.builder().dependencies("inventory").build(), clock);

    @Test
    void theWholePageIsValidPrometheusTextForPromtool() throws Exception {
        // given server and client traffic, a gremlin and an order service contributing metrics,
        // label values that need escaping, and one broken source
        monitor.record(RESERVE_OK, Duration.ofMillis(12).toNanos());
        monitor.record(
                RequestKey.server("PUT", "/reservations/{orderId}", Outcome.status(503)),
                Duration.ofMillis(2_400).toNanos());
        monitor.record(
                RequestKey.server("GET", "/odd/\"quoted\"/back\\slash", Outcome.status(404)),
                Duration.ofMillis(1).toNanos());
        monitor.record(
                RequestKey.client("inventory", "PUT", "/reservations/{orderId}", Outcome.TIMEOUT),
                Duration.ofSeconds(2).toNanos());
        monitor.record(
                RequestKey.client("inventory", "GET", "/inventory/{sku}", Outcome.status(200)),
                Duration.ofMillis(30).toNanos());
        PrometheusExposition exposition = PrometheusExposition.builder()
                .source(monitor)
                .source(PrometheusExpositionTest::gremlinMetrics)
                .source(w -> {
                    w.gauge("valerix_half_written", "A source that fails half way.")
                            .sample(1);
                    throw new IllegalStateException("boom");
                })
                .source(w -> w.gauge("valerix_orders_pending", "Orders waiting for reconciliation.")
                        .sample(7))
                .build();

        // when
        String page = exposition.render();
        Promtool.Verdict verdict = Promtool.checkMetrics(page);

        // then promtool parses it and its linter has nothing to say
        assertThat(verdict.output()).as("promtool output for:%n%s", page).isEmpty();
        assertThat(verdict.exitCode()).isZero();
        assertThat(page)
                .contains("valerix_gremlin_injections_total{kind=\"delay\"} 42\n")
                .contains("valerix_orders_pending 7\n")
                .doesNotContain("valerix_half_written")
                .contains("valerix_metrics_source_failures_total 1\n");
    }

    @Test
    void theOneSecondBucketCountsExactlyTheRequestsUpToOneSecondAndBucketsAreCumulative() {
        // given 3 requests of 0.5 s and 2 of 1.5 s
        for (int i = 0; i < 3; i++) {
            monitor.record(RESERVE_OK, Duration.ofMillis(500).toNanos());
        }
        for (int i = 0; i < 2; i++) {
            monitor.record(RESERVE_OK, Duration.ofMillis(1_500).toNanos());
        }

        // when
        String page = render();

        // then
        assertThat(page)
                .contains(RESERVE_BUCKET + "0.25\"} 0\n")
                .contains(RESERVE_BUCKET + "0.5\"} 3\n")
                .contains(RESERVE_BUCKET + "1.0\"} 3\n")
                .contains(RESERVE_BUCKET + "2.5\"} 5\n")
                .contains(RESERVE_BUCKET + "+Inf\"} 5\n")
                .contains("valerix_http_server_request_duration_seconds_sum"
                        + "{route=\"/reservations/{orderId}\",method=\"PUT\",status=\"200\"} 4.5\n")
                .contains("valerix_http_server_request_duration_seconds_count"
                        + "{route=\"/reservations/{orderId}\",method=\"PUT\",status=\"200\"} 5\n")
                .contains("valerix_http_server_requests_total"
                        + "{route=\"/reservations/{orderId}\",method=\"PUT\",status=\"200\"} 5\n");
        List<String> les = bucketLines(page).stream()
                .map(l -> l.split("le=\"")[1].split("\"")[0])
                .toList();
        assertThat(les)
                .containsExactly(
                        "0.005", "0.01", "0.025", "0.05", "0.1", "0.25", "0.5", "1.0", "2.5", "5.0", "10.0", "+Inf");
        long[] counts = bucketLines(page).stream()
                .mapToLong(l -> Long.parseLong(l.substring(l.lastIndexOf(' ') + 1)))
                .toArray();
        assertThat(counts).isSorted();
    }

    @Test
    void aRequestOfExactlyOneSecondIsInTheOneSecondBucket() {
        monitor.record(RESERVE_OK, Duration.ofSeconds(1).toNanos());
        monitor.record(RESERVE_OK, Duration.ofSeconds(1).plusNanos(1).toNanos());

        assertThat(render())
                .contains(RESERVE_BUCKET + "0.5\"} 0\n")
                .contains(RESERVE_BUCKET + "1.0\"} 1\n")
                .contains(RESERVE_BUCKET + "+Inf\"} 2\n");
    }

    @Test
    void labelValuesAndHelpAreEscaped() {
        // given
        PrometheusExposition exposition = PrometheusExposition.builder()
                .source(w -> w.counter("valerix_odd_total", "Line one\nline two \\ with \"quotes\".")
                        .sample(1, "kind", "back\\slash \"quote\"\nnew line"))
                .build();

        // when
        String page = exposition.render();

        // then
        assertThat(page)
                .startsWith("# HELP valerix_odd_total Line one\\nline two \\\\ with \"quotes\".\n"
                        + "# TYPE valerix_odd_total counter\n"
                        + "valerix_odd_total{kind=\"back\\\\slash \\\"quote\\\"\\nnew line\"} 1\n");
    }

    @Test
    void everyFamilyHasHelpAndTypeBeforeItsSamples() {
        // given
        monitor.record(RESERVE_OK, Duration.ofMillis(5).toNanos());
        monitor.record(RequestKey.client("inventory", "GET", "/inventory/{sku}", Outcome.OK), 1_000);

        // when
        String page = render();

        // then
        for (String[] family : new String[][] {
            {"valerix_http_server_requests_total", "counter"},
            {"valerix_http_server_request_duration_seconds", "histogram"},
            {"valerix_http_client_requests_total", "counter"},
            {"valerix_http_client_request_duration_seconds", "histogram"},
            {"valerix_health_light", "gauge"},
            {"valerix_health_threshold_seconds", "gauge"},
            {"valerix_health_window_p99_seconds", "gauge"},
            {"valerix_metrics_source_failures_total", "counter"}
        }) {
            int help = page.indexOf("# HELP " + family[0] + " ");
            int type = page.indexOf("# TYPE " + family[0] + " " + family[1] + "\n");
            int sample = page.indexOf("\n" + family[0]);
            assertThat(help).as(family[0]).isNotNegative().isLessThan(type);
            assertThat(type).as(family[0]).isLessThan(sample);
        }
    }

    @Test
    void theLightIsOneSeriesPerStateWithOneForTheCurrentState() {
        // given a slow dependency and an idle server
        monitor.record(
                RequestKey.client("inventory", "PUT", "/reservations/{orderId}", Outcome.TIMEOUT),
                Duration.ofSeconds(3).toNanos());

        // when
        String page = render();

        // then
        assertThat(page)
                .contains("valerix_health_light{scope=\"server\",state=\"green\"} 0\n"
                        + "valerix_health_light{scope=\"server\",state=\"red\"} 0\n"
                        + "valerix_health_light{scope=\"server\",state=\"idle\"} 1\n"
                        + "valerix_health_light{scope=\"client\",dependency=\"inventory\",state=\"green\"} 0\n"
                        + "valerix_health_light{scope=\"client\",dependency=\"inventory\",state=\"red\"} 1\n"
                        + "valerix_health_light{scope=\"client\",dependency=\"inventory\",state=\"idle\"} 0\n");
        assertThat(page).contains("valerix_health_threshold_seconds 1\n");
    }

    @Test
    void namesThatBreakTheFormatAreRejected() {
        MetricsWriter writer = new MetricsWriter();

        assertThatThrownBy(() -> writer.counter("valerix_injections", "x"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("counter name must end in _total, but was 'valerix_injections'");
        assertThatThrownBy(() -> writer.gauge("valerix-pending", "x"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("metric name must match [a-zA-Z_][a-zA-Z0-9_]*, but was 'valerix-pending'");
        assertThatThrownBy(() -> writer.gauge("valerix_pending", " "))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("help of valerix_pending must not be blank");
        MetricsWriter.Family gauge = writer.gauge("valerix_ok", "x");
        assertThatThrownBy(() -> gauge.sample(1, "__name", "v"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("but was '__name'");
        assertThatThrownBy(() -> gauge.sample(1, "kind"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("labels of valerix_ok must be name/value pairs, but there were 1 strings");
        assertThatThrownBy(() -> gauge.sample(1, "kind", "a", "kind", "b"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("label kind of valerix_ok is given twice");
        assertThatThrownBy(() -> gauge.sample(1, "kind", null))
                .isInstanceOf(NullPointerException.class)
                .hasMessage("value of label kind");
    }

    @Test
    void aNameCanBeWrittenOnlyOnceAndOnlyToTheOpenFamily() {
        MetricsWriter writer = new MetricsWriter();
        MetricsWriter.Family first = writer.counter("valerix_a_total", "x");
        writer.histogram("valerix_b_seconds", "x");

        assertThatThrownBy(() -> first.sample(1))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage(
                        "family valerix_a_total is closed:" + " write all its samples before starting the next family");
        assertThatThrownBy(() -> writer.counter("valerix_a_total", "again"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("metric valerix_a_total is already on this page; each name is written once,"
                        + " by one source");
        assertThatThrownBy(() -> writer.gauge("valerix_b_seconds_count", "collides"))
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void valuesThatBreakTheFormatAreRejected() {
        MetricsWriter writer = new MetricsWriter();
        MetricsWriter.Family counter = writer.counter("valerix_c_total", "x");
        assertThatThrownBy(() -> counter.sample(-1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("counter valerix_c_total must be finite and not negative, but was -1.0");

        MetricsWriter.HistogramFamily histogram = writer.histogram("valerix_h_seconds", "x");
        assertThatThrownBy(() -> histogram.sample(List.of(1.0), new long[] {3, 2}, 1.0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("counts of histogram valerix_h_seconds must be cumulative"
                        + " (never decreasing, not negative), but were [3, 2]");
        assertThatThrownBy(() -> histogram.sample(List.of(1.0), new long[] {1, 2}, 1.0, "le", "x"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not be le");
        assertThatThrownBy(() -> histogram.sample(List.of(2.0, 1.0), new long[] {1, 2, 3}, 1.0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("bounds of histogram valerix_h_seconds must be finite and increasing,"
                        + " but were [2.0, 1.0]");
    }

    @Test
    void theContentTypeIsTextFormatZeroZeroFour() {
        assertThat(PrometheusExposition.CONTENT_TYPE).isEqualTo("text/plain; version=0.0.4; charset=utf-8");
    }

    private String render() {
        return PrometheusExposition.builder().source(monitor).build().render();
    }

    private static List<String> bucketLines(String page) {
        return Arrays.stream(page.split("\n"))
                .filter(l -> l.startsWith(RESERVE_BUCKET))
                .collect(Collectors.toList());
    }

    /** What the gremlin will contribute: injections by kind. */
    private static void gremlinMetrics(MetricsWriter writer) {
        writer.counter("valerix_gremlin_injections_total", "Faults and delays injected, by kind.")
                .sample(42, "kind", "delay")
                .sample(3, "kind", "reset")
                .sample(1, "kind", "odd \"kind\" \\ with\nnewline");
    }
}
