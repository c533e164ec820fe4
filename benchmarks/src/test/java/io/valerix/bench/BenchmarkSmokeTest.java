package io.valerix.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.valerix.bench.report.ReportSmoke;
import java.lang.reflect.Method;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Group;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.results.format.ResultFormatType;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Keeps every benchmark compiling and running: one fork, no warm-up, one short iteration each, and
 * the report built from what they produced. The figures mean nothing at this length; the suite is
 * {@code bin/bench}.
 */
class BenchmarkSmokeTest {

    /** Every benchmark class; a new one must be added here to be smoke-tested. */
    static final List<Class<?>> BENCHMARKS = List.of(
            TimeLimiterBenchmark.class,
            IdempotencyStoreBenchmark.class,
            GremlinBenchmark.class,
            LatencyRecordingBenchmark.class,
            JsonRoundTripBenchmark.class,
            ReconcilerBacklogBenchmark.class);

    @TempDir
    Path results;

    @Test
    void everyBenchmarkRunsAndProducesAScoreThatTheReportShows() throws Exception {
        // Given every @Benchmark method of every benchmark class; the methods of a @Group run, and
        // are scored, as one benchmark named after the group
        Set<String> expected = BENCHMARKS.stream()
                .flatMap(type -> Arrays.stream(type.getDeclaredMethods())
                        .filter(method -> method.isAnnotationPresent(Benchmark.class))
                        .map(method -> type.getName() + "." + runName(method)))
                .collect(Collectors.toSet());
        OptionsBuilder options = new OptionsBuilder();
        BENCHMARKS.forEach(type -> options.include("^" + type.getName().replace(".", "\\.") + "\\."));
        Options smoke = options.forks(1)
                .warmupIterations(0)
                .measurementIterations(1)
                .measurementTime(TimeValue.milliseconds(100))
                // C1 only: at this length C2 would compile on cores the benchmark needs, and nothing
                // measured here is kept.
                .jvmArgsAppend("-XX:TieredStopAtLevel=1")
                .addProfiler("gc")
                .shouldFailOnError(true)
                .resultFormat(ResultFormatType.JSON)
                .result(results.resolve("jmh.json").toString())
                .build();

        // When they run (see JmhSmoke for the machine-wide lock)
        Collection<RunResult> runs = JmhSmoke.run(smoke);

        // Then each produced a score, with its allocation per operation
        assertThat(runs)
                .extracting(run -> run.getParams().getBenchmark())
                .containsExactlyInAnyOrderElementsOf(expected);
        assertThat(runs).allSatisfy(run -> {
            assertThat(run.getPrimaryResult().getScore()).isPositive();
            assertThat(run.getSecondaryResults()).containsKey("gc.alloc.rate.norm");
        });
        // And the report turns every one of them into a figure
        assertThat(ReportSmoke.missingMicroFigures(results)).isEmpty();
    }

    private static String runName(Method method) {
        Group group = method.getAnnotation(Group.class);
        return group == null ? method.getName() : group.value();
    }
}
