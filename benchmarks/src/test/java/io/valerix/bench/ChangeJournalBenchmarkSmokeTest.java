package io.valerix.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Collection;
import org.junit.jupiter.api.Test;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/** Keeps {@link ChangeJournalBenchmark} compiling and running: one short iteration per variant. */
class ChangeJournalBenchmarkSmokeTest {

    @Test
    void everyChangeJournalBenchmarkRunsAndProducesAScore() throws Exception {
        Options options = new OptionsBuilder()
                .include(ChangeJournalBenchmark.class.getSimpleName())
                .forks(1)
                .warmupIterations(0)
                .measurementIterations(1)
                .measurementTime(TimeValue.milliseconds(300))
                .shouldFailOnError(true)
                .build();

        Collection<RunResult> results = JmhSmoke.run(options);

        assertThat(results).hasSize(4);
        assertThat(results)
                .allSatisfy(result ->
                        assertThat(result.getPrimaryResult().getScore()).isPositive());
    }
}
