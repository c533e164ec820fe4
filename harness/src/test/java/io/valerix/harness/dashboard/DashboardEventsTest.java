package io.valerix.harness.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.valerix.core.health.HealthConfig;
import io.valerix.core.testing.RawHttp;
import io.valerix.inventory.StockLevel;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The dashboard's routes over plain HTTP: the event stream, the page and its files, the gremlin proxy. */
class DashboardEventsTest {

    @TempDir
    Path dir;

    private RunningDashboard running;

    private static final String ADMIN = "Bearer " + RunningDashboard.TOKEN;

    @BeforeEach
    void start() {
        running = RunningDashboard.start(dir, HealthConfig.defaults(), Duration.ofSeconds(2));
    }

    @AfterEach
    void stop() {
        running.close();
    }

    @Test
    void streamSaysHowSoonToReconnectThenSendsHistoryThenOneSampleEverySecondEachOnItsOwn() throws Exception {
        try (EventStreamClient events = new EventStreamClient(running.order("/dashboard/events"))) {
            assertThat(events.response.statusCode()).isEqualTo(200);
            assertThat(events.response.headers().firstValue("Content-Type"))
                    .hasValueSatisfying(type -> assertThat(type).startsWith("text/event-stream"));
            assertThat(events.response.headers().firstValue("Cache-Control")).hasValue("no-store");

            EventStreamClient.Event first = events.next(Duration.ofSeconds(5));
            assertThat(first.name()).isEqualTo("history");
            assertThat(events.retryLines).containsExactly("retry: 2000");

            List<EventStreamClient.Event> samples = new ArrayList<>();
            while (samples.size() < 7) {
                samples.add(events.next("sample", Duration.ofSeconds(5)));
            }
            // Consecutive numbers: none was lost or merged.
            for (int i = 1; i < samples.size(); i++) {
                assertThat(Long.parseLong(samples.get(i).id()))
                        .isEqualTo(Long.parseLong(samples.get(i - 1).id()) + 1);
                assertThat(samples.get(i).json().get("seq").asLong())
                        .isEqualTo(Long.parseLong(samples.get(i).id()));
            }
            // The first may be the latest sample, sent at once on connecting; time the five after the next.
            List<EventStreamClient.Event> timed = samples.subList(2, 7);
            double spanSeconds = (timed.get(4).receivedNanos() - timed.get(0).receivedNanos()) / 1e9;
            assertThat(spanSeconds)
                    .as("four intervals of 1 s: at least once a second (with room for a loaded machine)")
                    .isBetween(2.0, 6.0);
            long separateArrivals = 0;
            for (int i = 1; i < timed.size(); i++) {
                if (timed.get(i).receivedNanos() - timed.get(i - 1).receivedNanos() > 300_000_000L) {
                    separateArrivals++;
                }
            }
            assertThat(separateArrivals)
                    .as("events are flushed one by one, not buffered and sent in bursts")
                    .isGreaterThanOrEqualTo(3);
        }
    }

    @Test
    void samplesCarryTheLightsFiguresOrdersStockAndGremlinThePageShows() throws Exception {
        StockLevel before =
                running.pair.inventory().service().stockLevel("widget").orElseThrow();
        for (int i = 0; i < 3; i++) {
            assertThat(RawHttp.post(
                                    running.pair.orderUri(),
                                    "/orders",
                                    "{\"sku\":\"widget\",\"quantity\":2}",
                                    "Idempotency-Key",
                                    "figures-" + i)
                            .status())
                    .isEqualTo(201);
        }

        try (EventStreamClient events = new EventStreamClient(running.order("/dashboard/events"))) {
            JsonNode sample = null;
            for (int i = 0;
                    i < 10 && (sample == null || sample.at("/orders/CONFIRMED").asLong() < 3);
                    i++) {
                sample = events.next("sample", Duration.ofSeconds(5)).json();
            }
            assertThat(sample.at("/orders/CONFIRMED").asLong()).isEqualTo(3);
            assertThat(sample.at("/orders/PENDING").asLong()).isZero();

            JsonNode order = scope(sample, "order");
            assertThat(order.get("light").asText()).isEqualTo("GREEN");
            assertThat(order.get("thresholdMs").asLong()).isEqualTo(1000);
            assertThat(order.get("recoveryMs").asLong()).isEqualTo(900);
            assertThat(order.get("windowMs").asLong()).isEqualTo(10_000);
            assertThat(order.get("count").asLong()).isGreaterThanOrEqualTo(3);
            assertThat(order.get("ratePerSecond").asDouble()).isPositive();
            assertThat(order.get("errorRate").asDouble()).isZero();
            assertThat(order.get("p50Ms").asDouble()).isPositive();
            assertThat(order.get("p99Ms").asDouble())
                    .isGreaterThanOrEqualTo(order.get("p50Ms").asDouble());
            assertThat(order.get("transitions").get(0).get("from").asText()).isEqualTo("IDLE");
            assertThat(order.get("transitions").get(0).get("to").asText()).isEqualTo("GREEN");

            JsonNode seen = scope(sample, "inventory-from-order");
            assertThat(seen.get("light").asText()).isEqualTo("GREEN");
            assertThat(seen.get("count").asLong()).isGreaterThanOrEqualTo(3);
            assertThat(scope(sample, "inventory").get("light").asText()).isEqualTo("GREEN");

            JsonNode widget = null;
            for (JsonNode item : sample.get("stock")) {
                if (item.get("sku").asText().equals("widget")) {
                    widget = item;
                }
            }
            assertThat(widget).isNotNull();
            assertThat(widget.get("available").asLong()).isEqualTo(before.available() - 6);
            assertThat(widget.get("reserved").asLong()).isEqualTo(before.reserved() + 6);
            assertThat(sample.at("/gremlin/spec").asText()).isEqualTo("none");
            assertThat(sample.at("/gremlin/seed").asLong()).isEqualTo(42);
            assertThat(sample.get("problems")).isEmpty();
            assertThat(sample.get("elapsedMs").asDouble()).isPositive();
        }
    }

    @Test
    void sampleFiguresAreTheOnesHealthReportsForTheSameWindow() {
        for (int i = 0; i < 5; i++) {
            RawHttp.post(
                    running.pair.orderUri(),
                    "/orders",
                    "{\"sku\":\"widget\",\"quantity\":1}",
                    "Idempotency-Key",
                    "same-" + i);
        }
        // The order service's view of inventory changes only when it calls inventory, so a sample and
        // a /health read between two calls see the same window: same light, count and percentiles.
        await().atMost(Duration.ofSeconds(10))
                .pollInterval(Duration.ofMillis(200))
                .untilAsserted(() -> {
                    JsonNode health =
                            RawHttp.get(running.order("/health")).json().at("/dependencies/inventory");
                    JsonNode seen = scope(
                            RawHttp.get(running.order("/dashboard/api/snapshot"), "Authorization", ADMIN)
                                    .json(),
                            "inventory-from-order");
                    assertThat(seen.get("light").asText())
                            .isEqualTo(health.get("light").asText());
                    assertThat(seen.get("count").asLong())
                            .isEqualTo(health.get("count").asLong());
                    assertThat(seen.get("p50Ms").asDouble())
                            .isEqualTo(health.get("p50Ms").asDouble());
                    assertThat(seen.get("p99Ms").asDouble())
                            .isEqualTo(health.get("p99Ms").asDouble());
                    assertThat(seen.get("errorRate").asDouble())
                            .isEqualTo(health.get("errorRate").asDouble());
                });
    }

    @Test
    void aNewPageGetsTheChartHistoryFirstThenTheLatestSample() throws Exception {
        await().atMost(Duration.ofSeconds(10))
                .until(() -> running.dashboard != null
                        && RawHttp.get(running.order("/dashboard/api/snapshot"), "Authorization", ADMIN)
                                        .status()
                                == 200
                        && RawHttp.get(running.order("/dashboard/api/snapshot"), "Authorization", ADMIN)
                                        .json()
                                        .get("seq")
                                        .asLong()
                                >= 3);

        try (EventStreamClient events = new EventStreamClient(running.order("/dashboard/events"))) {
            JsonNode history = events.next("history", Duration.ofSeconds(5)).json();
            JsonNode sample = events.next("sample", Duration.ofSeconds(5)).json();

            assertThat(history.get("intervalMs").asLong()).isEqualTo(1000);
            assertThat(history.get("historyMs").asLong()).isEqualTo(300_000);
            int points = history.get("t").size();
            assertThat(points).isGreaterThanOrEqualTo(3);
            for (String id : List.of("order", "inventory", "inventory-from-order")) {
                JsonNode columns = history.at("/scopes/" + id);
                assertThat(columns.get("p50Ms").size()).isEqualTo(points);
                assertThat(columns.get("p99Ms").size()).isEqualTo(points);
                assertThat(columns.get("light").size()).isEqualTo(points);
                assertThat(columns.get("thresholdMs").asLong()).isEqualTo(1000);
            }
            // The last charted point is the sample sent right after it.
            assertThat(history.get("t").get(points - 1).asDouble())
                    .isEqualTo(sample.get("atMs").asLong() / 1000.0);
        }
    }

    @Test
    void closingTheDashboardEndsOpenStreamsSoTheServerStopsWithoutWaitingForThem() throws Exception {
        try (EventStreamClient events = new EventStreamClient(running.order("/dashboard/events"))) {
            events.next("sample", Duration.ofSeconds(5));

            running.dashboard.close();

            EventStreamClient.Event next;
            do {
                next = events.next(Duration.ofSeconds(3));
                assertThat(next).as("the stream ends within 3 s of close()").isNotNull();
            } while (next != EventStreamClient.END);
            long start = System.nanoTime();
            running.pair.close();
            assertThat(Duration.ofNanos(System.nanoTime() - start))
                    .as("no open stream holds the server for its 5 s drain")
                    .isLessThan(Duration.ofSeconds(4));
        }
    }

    @Test
    void gremlinRoutesForwardTheCallersTokenSoOnlyTheAdminTokenChangesTheGremlin() {
        var uri = running.order("/dashboard/api/gremlin");

        RawHttp.Reply none =
                RawHttp.send(uri, "PUT", "", RawHttp.JSON, "{\"spec\":\"fixed(20ms)\"}", "Authorization", null);
        assertThat(none.status()).isEqualTo(401);
        assertThat(none.json().get("type").asText()).isEqualTo("urn:valerix:problem:unauthorized");
        assertThat(none.header("WWW-Authenticate")).isNotNull();
        RawHttp.Reply wrong = RawHttp.send(
                uri,
                "PUT",
                "",
                RawHttp.JSON,
                "{\"spec\":\"fixed(20ms)\"}",
                "Authorization",
                "Bearer not-the-token-at-all-0000");
        assertThat(wrong.status()).isEqualTo(403);
        assertThat(RawHttp.get(uri).status()).isEqualTo(401);
        assertThat(running.pair.gremlin().spec().toText()).isEqualTo("none");

        RawHttp.Reply bad = RawHttp.send(
                uri,
                "PUT",
                "",
                RawHttp.JSON,
                "{\"spec\":\"fixed(twenty)\"}",
                "Authorization",
                "Bearer " + RunningDashboard.TOKEN);
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.json().get("type").asText()).isEqualTo("urn:valerix:problem:invalid-gremlin-spec");
        assertThat(running.pair.gremlin().spec().toText()).isEqualTo("none");

        RawHttp.Reply applied = RawHttp.send(
                uri,
                "PUT",
                "",
                RawHttp.JSON,
                "{\"spec\":\"fixed(20ms)\"}",
                "Authorization",
                "Bearer " + RunningDashboard.TOKEN);
        assertThat(applied.status()).isEqualTo(200);
        assertThat(applied.json().get("spec").asText()).isEqualTo("fixed(20ms)");
        assertThat(running.pair.gremlin().spec().toText()).isEqualTo("fixed(20ms)");
        RawHttp.Reply read = RawHttp.get(uri, "Authorization", "Bearer " + RunningDashboard.TOKEN);
        assertThat(read.status()).isEqualTo(200);
        assertThat(read.json().get("spec").asText()).isEqualTo("fixed(20ms)");
    }

    @Test
    void pageAndEveryFileItNeedsComeFromTheOrderServiceAndThePageNeverHoldsTheToken() {
        RawHttp.Reply page = RawHttp.get(running.order("/dashboard"));
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.header("Content-Type")).isEqualTo("text/html; charset=utf-8");
        assertThat(page.header("Content-Security-Policy"))
                .isNotNull()
                .satisfies(csp -> assertThat(csp).contains("default-src 'self'"));
        assertThat(page.header("Referrer-Policy")).isEqualTo("no-referrer");
        assertThat(page.body())
                .doesNotContain(RunningDashboard.TOKEN)
                .doesNotContain("http://")
                .doesNotContain("https://");

        Matcher links = Pattern.compile("(?:src|href)=\"([^\"]+)\"").matcher(page.body());
        List<String> files = new ArrayList<>();
        while (links.find()) {
            files.add(links.group(1));
        }
        assertThat(files).isNotEmpty().allSatisfy(f -> assertThat(f).startsWith("/dashboard/assets/"));
        for (String file : files) {
            RawHttp.Reply asset = RawHttp.get(running.order(file));
            assertThat(asset.status()).as(file).isEqualTo(200);
            String type = asset.contentType();
            if (file.endsWith(".js")) {
                assertThat(type).startsWith("text/javascript");
            } else if (file.endsWith(".css")) {
                assertThat(type).startsWith("text/css");
            }
        }
        assertThat(RawHttp.get(running.order("/dashboard/assets/dashboard.js")).body())
                .doesNotContain("http://", "https://");
        assertThat(RawHttp.get(running.order("/dashboard/assets/nothing.js")).status())
                .isEqualTo(404);
        assertThat(RawHttp.get(running.order("/dashboard/assets/..%2Fdashboard.html"))
                        .status())
                .isIn(400, 404);
    }

    @Test
    void stockRouteListsEverySkuFromTheSameOrigin() {
        JsonNode items = RawHttp.get(running.order("/dashboard/api/stock"), "Authorization", ADMIN)
                .json()
                .get("items");

        List<String> skus = new ArrayList<>();
        items.forEach(item -> skus.add(item.get("sku").asText()));
        assertThat(skus).containsExactlyInAnyOrder("widget", "gadget", "gizmo");
        AtomicReference<JsonNode> gizmo = new AtomicReference<>();
        items.forEach(item -> {
            if (item.get("sku").asText().equals("gizmo")) {
                gizmo.set(item);
            }
        });
        assertThat(gizmo.get().get("available").asLong()).isEqualTo(5);
    }

    @Test
    void pagesBeyondTheStreamLimitAreRefusedAndTheirPlaceIsFreedWhenAPageGoesAway(@TempDir Path other)
            throws Exception {
        try (RunningDashboard small = RunningDashboard.start(
                other,
                HealthConfig.defaults(),
                Duration.ofSeconds(2),
                0,
                0,
                Dashboard.builder().maxStreams(1))) {
            EventStreamClient first = new EventStreamClient(small.order("/dashboard/events"));
            first.next("history", Duration.ofSeconds(5));

            RawHttp.Reply second = RawHttp.get(small.order("/dashboard/events"), "Authorization", ADMIN);
            assertThat(second.status()).isEqualTo(503);
            assertThat(second.json().get("type").asText()).isEqualTo("urn:valerix:problem:overloaded");

            first.close();
            // The server notices the closed connection at its next write, within about a second.
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                try (EventStreamClient again = new EventStreamClient(small.order("/dashboard/events"))) {
                    assertThat(again.response.statusCode()).isEqualTo(200);
                }
            });
        }
    }

    @Test
    void apiAndEventStreamWithoutTheAdminTokenAre401AndWithAnotherTokenAre403() throws Exception {
        for (String path : List.of(
                "/dashboard/api/snapshot", "/dashboard/api/stock", "/dashboard/api/gremlin", "/dashboard/events")) {
            RawHttp.Reply none = RawHttp.get(running.order(path));
            assertThat(none.status()).as(path).isEqualTo(401);
            assertThat(none.header("Content-Type")).as(path).isEqualTo("application/problem+json");
            assertThat(none.json().get("type").asText()).isEqualTo("urn:valerix:problem:unauthorized");
            assertThat(RawHttp.get(running.order(path), "Authorization", "Bearer not-the-token-at-all-0000")
                            .status())
                    .as(path)
                    .isEqualTo(403);
        }
        try (EventStreamClient anonymous = new EventStreamClient(running.order("/dashboard/events"), null)) {
            assertThat(anonymous.response.statusCode()).isEqualTo(401);
        }
        // The page itself holds nothing secret and loads without the token.
        assertThat(RawHttp.get(running.order("/dashboard")).status()).isEqualTo(200);
    }

    @Test
    void thePrintedAddressCarriesTheTokenInTheFragmentNeverTheQuery() {
        URI url = Dashboard.url(running.pair.orderUri(), RunningDashboard.TOKEN);

        assertThat(url.getRawQuery()).isNull();
        assertThat(url.getRawFragment()).isEqualTo("token=" + RunningDashboard.TOKEN);
        assertThat(url.getPath()).isEqualTo("/dashboard");
    }

    @Test
    void builderRejectsSettingsItCannotKeepNamingTheSettingAndTheValue() {
        assertThatThrownBy(() -> Dashboard.builder().interval(Duration.ZERO).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("interval")
                .hasMessageContaining("PT0S");
        assertThatThrownBy(
                        () -> Dashboard.builder().history(Duration.ofHours(2)).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("history")
                .hasMessageContaining("PT2H");
        assertThatThrownBy(() -> Dashboard.builder().maxStreams(0).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("maxStreams")
                .hasMessageContaining("0");
        assertThatThrownBy(() -> Dashboard.builder().build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("adminToken");
        assertThatThrownBy(() -> Dashboard.builder().adminToken("short").build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("admin token must be at least 16");
        assertThatThrownBy(() -> running.dashboard.watch(running.pair)).isInstanceOf(IllegalStateException.class);
    }

    static JsonNode scope(JsonNode sample, String id) {
        for (JsonNode scope : sample.get("scopes")) {
            if (scope.get("id").asText().equals(id)) {
                return scope;
            }
        }
        throw new AssertionError("no scope " + id + " in " + sample);
    }
}
