package io.valerix.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Collection;
import org.junit.jupiter.api.Test;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Keeps the benchmarks compiling and running: one fork, one short iteration each. The figures
 * mean nothing at this length; the full suite is a documented command.
 */
class BenchmarkSmokeTest {

  @Test
  void everyTimeLimiterBenchmarkRunsAndProducesAScore() throws Exception {
    Options options = new OptionsBuilder()
        .include(TimeLimiterBenchmark.class.getSimpleName())
        .forks(1)
        .warmupIterations(0)
        .measurementIterations(1)
        .measurementTime(TimeValue.milliseconds(200))
        .shouldFailOnError(true)
        .build();

    Collection<RunResult> results = new Runner(options).run();

    assertThat(results).hasSize(5);
    assertThat(results).allSatisfy(result -> assertThat(result.getPrimaryResult().getScore()).isPositive());
  }
}
