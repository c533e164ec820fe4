package io.valerix.core.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.valerix.core.health.HealthReport.Status;
import io.valerix.core.time.ManualNanoClock;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HealthReportTest {

    private static final long MS = 1_000_000L;

    private final ObjectMapper json = new ObjectMapper();
    private final ManualNanoClock clock = new ManualNanoClock();
    private final LatencyMonitor monitor =
            LatencyMonitor.of(HealthConfig.builder().dependencies("inventory").build(), clock);

    @Test
    void theJsonShapeIsPinned() throws Exception {
        // given
        HealthReport report = new HealthReport(
                Status.DOWN,
                HealthLight.GREEN,
                1000,
                10000,
                120,
                12.0,
                0.025,
                12.003,
                40.01,
                230.5,
                480.25,
                512.0,
                Map.of(
                        "inventory",
                        new HealthReport.Dependency(
                                HealthLight.RED, 30, 3.0, 0.1, 20.0, 1500.5, 2001.0, 2001.0, 2001.0)),
                Map.of("disk", HealthCheck.Result.down("full"), "database", HealthCheck.Result.up()));

        // when
        String text = json.writeValueAsString(report);

        // then
        assertThat(text)
                .isEqualTo(
                        "{\"status\":\"DOWN\",\"light\":\"GREEN\",\"thresholdMs\":1000,"
                                + "\"windowMs\":10000,\"count\":120,\"ratePerSecond\":12.0,\"errorRate\":0.025,"
                                + "\"p50Ms\":12.003,\"p90Ms\":40.01,\"p99Ms\":230.5,\"p999Ms\":480.25,\"maxMs\":512.0,"
                                + "\"dependencies\":{\"inventory\":{\"light\":\"RED\",\"count\":30,\"ratePerSecond\":3.0,"
                                + "\"errorRate\":0.1,\"p50Ms\":20.0,\"p90Ms\":1500.5,\"p99Ms\":2001.0,\"p999Ms\":2001.0,"
                                + "\"maxMs\":2001.0}},"
                                + "\"checks\":{\"database\":{\"status\":\"UP\"},\"disk\":{\"status\":\"DOWN\",\"detail\":\"full\"}}}");
        assertThat(json.readValue(text, HealthReport.class)).isEqualTo(report);
    }

    @Test
    void theReportCarriesTheServerAndDependencyFiguresAndIsUpWithoutChecks() {
        // given 10 requests of 12 ms served and 2 timed-out calls to inventory of 2 s
        for (int i = 0; i < 10; i++) {
            monitor.record(RequestKey.server("POST", "/orders", Outcome.status(201)), 12 * MS);
        }
        for (int i = 0; i < 2; i++) {
            monitor.record(
                    RequestKey.client("inventory", "PUT", "/reservations/{orderId}", Outcome.TIMEOUT), 2_000 * MS);
        }
        clock.advance(Duration.ofMillis(500));

        // when
        HealthReport report = HealthReporter.builder(monitor).build().report();

        // then
        assertThat(report.status()).isEqualTo(Status.UP);
        assertThat(report.httpStatus()).isEqualTo(200);
        assertThat(report.light()).isEqualTo(HealthLight.GREEN);
        assertThat(report.thresholdMs()).isEqualTo(1000);
        assertThat(report.windowMs()).isEqualTo(10_000);
        assertThat(report.count()).isEqualTo(10);
        assertThat(report.ratePerSecond()).isEqualTo(10.0);
        assertThat(report.errorRate()).isZero();
        assertThat(report.p99Ms()).isCloseTo(12.0, within(0.012));
        HealthReport.Dependency inventory = report.dependencies().get("inventory");
        assertThat(inventory.light()).isEqualTo(HealthLight.RED);
        assertThat(inventory.count()).isEqualTo(2);
        assertThat(inventory.errorRate()).isEqualTo(1.0);
        assertThat(inventory.maxMs()).isCloseTo(2000.0, within(2.0));
        assertThat(report.checks()).isEmpty();
    }

    @Test
    void aRedLightIsStillUp() {
        monitor.record(RequestKey.server("POST", "/orders", Outcome.status(201)), 3_000 * MS);

        HealthReport report = HealthReporter.builder(monitor).build().report();

        assertThat(report.light()).isEqualTo(HealthLight.RED);
        assertThat(report.status()).isEqualTo(Status.UP);
        assertThat(report.httpStatus()).isEqualTo(200);
    }

    @Test
    void aFailingThrowingOrSilentCheckMakesTheReportDownWith503() {
        // given
        HealthReporter reporter = HealthReporter.builder(monitor)
                .check("database", () -> HealthCheck.Result.down("ping timed out after 1 s"))
                .check("journal", () -> {
                    throw new IllegalStateException("archive unreachable");
                })
                .check("quota", () -> null)
                .check("disk", () -> HealthCheck.Result.up("42% used"))
                .build();

        // when
        HealthReport report = reporter.report();

        // then
        assertThat(report.status()).isEqualTo(Status.DOWN);
        assertThat(report.httpStatus()).isEqualTo(503);
        assertThat(report.checks())
                .containsExactly(
                        Map.entry("database", HealthCheck.Result.down("ping timed out after 1 s")),
                        Map.entry("disk", HealthCheck.Result.up("42% used")),
                        Map.entry(
                                "journal",
                                HealthCheck.Result.down(
                                        "check threw java.lang.IllegalStateException: archive unreachable")),
                        Map.entry("quota", HealthCheck.Result.down("check returned no result")));
    }

    @Test
    void aDownAdvisoryCheckShowsDownButLeavesTheReportUpWhileARequiredOneStillCounts() {
        // given an archive that is behind (advisory) and a database that answers (required)
        HealthReporter reporter = HealthReporter.builder(monitor)
                .check("database", HealthCheck.Result::up)
                .advisoryCheck(
                        "archive", () -> HealthCheck.Result.down("archiving fails since 12:00: 403 AccessDenied"))
                .build();

        // when
        HealthReport report = reporter.report();

        // then the gap shows, and the service is not pulled for it
        assertThat(report.status()).isEqualTo(Status.UP);
        assertThat(report.httpStatus()).isEqualTo(200);
        assertThat(report.checks())
                .containsEntry("archive", HealthCheck.Result.down("archiving fails since 12:00: 403 AccessDenied"));

        // and a failing required check still makes it DOWN
        HealthReport down = HealthReporter.builder(monitor)
                .check("database", () -> HealthCheck.Result.down("ping failed"))
                .advisoryCheck("archive", HealthCheck.Result::up)
                .build()
                .report();
        assertThat(down.status()).isEqualTo(Status.DOWN);
    }

    @Test
    void passingChecksKeepTheReportUp() {
        HealthReport report = HealthReporter.builder(monitor)
                .check("database", HealthCheck.Result::up)
                .build()
                .report();

        assertThat(report.status()).isEqualTo(Status.UP);
        assertThat(report.light()).isEqualTo(HealthLight.IDLE);
    }

    @Test
    void aCheckNameCanBeRegisteredOnlyOnce() {
        HealthReporter.Builder builder = HealthReporter.builder(monitor).check("database", HealthCheck.Result::up);

        assertThatThrownBy(() -> builder.check("database", HealthCheck.Result::up))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("check 'database' is already registered");
        assertThatThrownBy(() -> builder.check(" ", HealthCheck.Result::up))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("check name must not be blank, but was ' '");
    }
}
