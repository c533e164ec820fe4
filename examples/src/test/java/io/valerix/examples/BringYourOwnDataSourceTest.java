package io.valerix.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.valerix.core.health.HealthReport;
import io.valerix.examples.BringYourOwnDataSource.Outcome;
import org.junit.jupiter.api.Test;

class BringYourOwnDataSourceTest {

    @Test
    void aPlainDataSourceBacksTheIdempotencyStoreAndTheHealthCheck() {
        Outcome outcome = BringYourOwnDataSource.run(BringYourOwnDataSource.inMemoryH2("byo-test"));

        assertThat(outcome.firstStatus()).isEqualTo(201);
        assertThat(outcome.secondReplayed()).isTrue();
        assertThat(outcome.handlerRuns()).isEqualTo(1);
        assertThat(outcome.database().status()).isEqualTo(HealthReport.Status.UP);
    }
}
