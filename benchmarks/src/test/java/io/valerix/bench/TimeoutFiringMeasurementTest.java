package io.valerix.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.valerix.bench.TimeoutFiringMeasurement.Result;
import io.valerix.bench.TimeoutFiringMeasurement.Row;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class TimeoutFiringMeasurementTest {

    @Test
    void theMeasurementSeesWhichLibrariesLeaveTheirWorkRunning() throws Exception {
        // Given three trials per library, caller and work, under a 20 ms timeout
        Result result = TimeoutFiringMeasurement.measure(3, Duration.ofMillis(20));

        // Then every combination was measured and every call timed out
        assertThat(result.rows()).hasSize(12);
        assertThat(result.rows()).allSatisfy(row -> assertThat(row.timedOut()).isEqualTo(3));
        // And Valerix and Failsafe (each with call::cancel) stopped their work
        List<Row> stopping = result.rows().stream()
                .filter(row -> !row.library().equals("resilience4j"))
                .toList();
        assertThat(stopping)
                .hasSize(8)
                .allSatisfy(row -> assertThat(row.stillRunning()).isZero());
        // And Resilience4j's work kept running: CompletableFuture.cancel(true) does not interrupt
        List<Row> leaving = result.rows().stream()
                .filter(row -> row.library().equals("resilience4j"))
                .toList();
        assertThat(leaving)
                .hasSize(4)
                .allSatisfy(row -> assertThat(row.stillRunning()).isEqualTo(3));
        // And control came back long before the 1 s of work would have ended (a loaded machine's margin)
        assertThat(result.rows())
                .allSatisfy(row -> assertThat(row.lateMaxMicros()).isLessThan(500_000));
    }
}
