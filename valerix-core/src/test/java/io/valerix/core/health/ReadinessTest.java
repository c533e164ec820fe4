package io.valerix.core.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.valerix.core.time.ManualNanoClock;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** {@link Readiness}: verdicts from background checks, read from memory; a silent check is DOWN. */
class ReadinessTest {

    @Test
    void startRunsTheFirstRoundSoTheReportIsReadyAtOnce() {
        try (Readiness readiness = Readiness.builder()
                .check("database", HealthCheck.Result::up)
                .build()
                .start()) {
            Readiness.Report report = readiness.report();

            assertThat(report.status()).isEqualTo(HealthReport.Status.UP);
            assertThat(report.httpStatus()).isEqualTo(200);
            assertThat(report.checks().get("database").status()).isEqualTo(HealthReport.Status.UP);
        }
    }

    @Test
    void aCheckThatTurnsDownMakesTheReportDownAtItsNextRun() {
        AtomicReference<HealthCheck.Result> verdict = new AtomicReference<>(HealthCheck.Result.up());
        try (Readiness readiness = Readiness.builder()
                .check("inventory", verdict::get)
                .interval(Duration.ofMillis(20))
                .staleAfter(Duration.ofMinutes(1))
                .build()
                .start()) {
            verdict.set(HealthCheck.Result.down("inventory did not answer"));

            await().atMost(Duration.ofSeconds(30))
                    .until(() -> readiness.report().status() == HealthReport.Status.DOWN);
            assertThat(readiness.report().httpStatus()).isEqualTo(503);
            assertThat(readiness.result("inventory").detail()).isEqualTo("inventory did not answer");
        }
    }

    @Test
    void aCheckThatHangsCountsAsDownOnceItsVerdictIsStaleAndTheReportStillAnswersAtOnce() throws Exception {
        ManualNanoClock clock = new ManualNanoClock();
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch hanging = new CountDownLatch(1);
        AtomicReference<Boolean> hang = new AtomicReference<>(false);
        HealthCheck check = () -> {
            if (hang.get()) {
                hanging.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return HealthCheck.Result.up();
        };
        try (Readiness readiness = Readiness.builder()
                .check("database", check)
                .interval(Duration.ofMillis(10))
                .staleAfter(Duration.ofSeconds(5))
                .clock(clock)
                .build()
                .start()) {
            hang.set(true);
            assertThat(hanging.await(30, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
            assertThat(readiness.report().status()).isEqualTo(HealthReport.Status.UP);

            clock.advance(Duration.ofSeconds(6));

            Readiness.Report report = readiness.report();
            assertThat(report.status()).isEqualTo(HealthReport.Status.DOWN);
            assertThat(report.checks().get("database").detail()).startsWith("no answer for");
        } finally {
            release.countDown();
        }
    }

    @Test
    void aThrowingCheckIsDown() {
        try (Readiness readiness = Readiness.builder()
                .check("database", () -> {
                    throw new IllegalStateException("pool closed");
                })
                .build()
                .start()) {
            assertThat(readiness.result("database").status()).isEqualTo(HealthReport.Status.DOWN);
            assertThat(readiness.result("database").detail()).contains("pool closed");
        }
    }

    @Test
    void settingsAreValidated() {
        assertThatThrownBy(() -> Readiness.builder()
                        .interval(Duration.ofSeconds(2))
                        .staleAfter(Duration.ofSeconds(1))
                        .build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("staleAfter");
        assertThatThrownBy(() -> Readiness.builder().check("Bad Name", HealthCheck.Result::up))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Readiness.builder().build().result("nothing"))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
