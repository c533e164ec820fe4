package io.valerix.harness.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import io.valerix.core.gremlin.GremlinSpec;
import io.valerix.core.health.HealthLight;
import io.valerix.core.health.LightTransition;
import io.valerix.core.testing.RawHttp;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The dashboard and {@code /health} read the same monitor, so they agree on when a light
 * changed: the dashboard carries the monitor's own transition times, and every change that
 * {@code /health} shows happened between the read before it and the read that showed it.
 */
@Tag("slow")
class DashboardHealthAgreementTest {

    @TempDir
    Path dir;

    /** One {@code GET /health} of inventory: when it started and ended (pair time) and the light it showed. */
    record Reading(double startMs, double endMs, HealthLight light) {}

    @Test
    void dashboardAndHealthAgreeOnWhenTheInventoryLightChanged() throws Exception {
        List<Reading> readings = new ArrayList<>();
        List<JsonNode> samples = new ArrayList<>();
        try (RunningDashboard running =
                        RunningDashboard.start(dir, RunningDashboard.SHORT_WINDOW, Duration.ofSeconds(2));
                EventStreamClient events = new EventStreamClient(running.order("/dashboard/events"));
                Trickle trickle = Trickle.of(running.inventory("/inventory/widget"), Duration.ofMillis(100), 600)) {

            // Given a GREEN inventory, when 1.5 s of latency comes and goes, then it turns RED and GREEN again.
            pollHealthUntil(running, readings, HealthLight.GREEN, Duration.ofSeconds(10));
            running.pair.gremlin().replaceSpec(GremlinSpec.parse("fixed(1500ms)"));
            pollHealthUntil(running, readings, HealthLight.RED, Duration.ofSeconds(15));
            running.pair.gremlin().replaceSpec(GremlinSpec.none());
            pollHealthUntil(running, readings, HealthLight.GREEN, Duration.ofSeconds(20));

            // The dashboard's next sample carries the transitions up to now (the trickle goes on, so the
            // light stays GREEN rather than going IDLE meanwhile).
            double now = running.pair.elapsed().toNanos() / 1e6;
            EventStreamClient.Event e;
            do {
                e = events.next("sample", Duration.ofSeconds(5));
                samples.add(e.json());
            } while (e.json().get("elapsedMs").asDouble() < now);

            assertThat(trickle.sent()).as("the lights judged real requests").isGreaterThan(20);
            List<LightTransition> monitor =
                    running.pair.inventoryMonitor().server().transitions();
            List<HealthLight> path = monitor.stream().map(LightTransition::to).toList();
            assertThat(path).containsSubsequence(HealthLight.GREEN, HealthLight.RED, HealthLight.GREEN);

            // 1. The dashboard shows the monitor's own transitions: same lights, same instants.
            JsonNode shown = DashboardEventsTest.scope(samples.get(samples.size() - 1), "inventory")
                    .get("transitions");
            assertThat(shown.size()).isEqualTo(monitor.size());
            for (int i = 0; i < monitor.size(); i++) {
                LightTransition t = monitor.get(i);
                assertThat(shown.get(i).get("from").asText()).isEqualTo(t.from().name());
                assertThat(shown.get(i).get("to").asText()).isEqualTo(t.to().name());
                assertThat(shown.get(i).get("sinceStartMs").asDouble())
                        .isCloseTo(t.sinceStart().toNanos() / 1e6, within(0.001));
                assertThat(shown.get(i).get("atMs").asLong())
                        .isEqualTo(running.pair.startedAt().toEpochMilli()
                                + t.sinceStart().toMillis());
            }

            // 2. Every sample's light is the last change it carries: the page never shows a light that
            //    disagrees with its own timeline.
            for (JsonNode sample : samples) {
                JsonNode inventory = DashboardEventsTest.scope(sample, "inventory");
                JsonNode transitions = inventory.get("transitions");
                String expected = transitions.isEmpty()
                        ? "IDLE"
                        : transitions.get(transitions.size() - 1).get("to").asText();
                assertThat(inventory.get("light").asText()).isEqualTo(expected);
            }

            // 3. Every change /health showed is one of those transitions, and it happened after the
            //    read before (which still showed the old light) and no later than the read that showed it.
            int next = 0;
            for (int i = 1; i < readings.size(); i++) {
                Reading before = readings.get(i - 1);
                Reading after = readings.get(i);
                if (before.light() == after.light()) {
                    continue;
                }
                while (next < monitor.size() && monitor.get(next).to() != after.light()) {
                    next++;
                }
                assertThat(next)
                        .as("a transition to %s for the change /health showed at %.0f ms", after.light(), after.endMs())
                        .isLessThan(monitor.size());
                double at = monitor.get(next).sinceStart().toNanos() / 1e6;
                assertThat(at)
                        .as("when the light turned %s", after.light())
                        .isGreaterThan(before.startMs())
                        .isLessThanOrEqualTo(after.endMs());
                next++;
            }
            assertThat(readings.stream().map(Reading::light).distinct()).contains(HealthLight.RED, HealthLight.GREEN);
        }
    }

    /** Reads inventory's /health every 100 ms, recording each read, until it shows {@code light}. */
    private static void pollHealthUntil(
            RunningDashboard running, List<Reading> readings, HealthLight light, Duration limit)
            throws InterruptedException {
        org.awaitility.Awaitility.await("inventory's /health to show " + light)
                .atMost(limit)
                .pollDelay(Duration.ZERO)
                .pollInterval(Duration.ofMillis(100))
                .until(() -> {
                    double start = running.pair.elapsed().toNanos() / 1e6;
                    JsonNode health = RawHttp.get(running.inventory("/health")).json();
                    double finish = running.pair.elapsed().toNanos() / 1e6;
                    Reading reading = new Reading(
                            start,
                            finish,
                            HealthLight.valueOf(health.get("light").asText()));
                    readings.add(reading);
                    return reading.light() == light;
                });
    }
}
