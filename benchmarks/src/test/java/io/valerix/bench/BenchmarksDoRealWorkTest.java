package io.valerix.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.valerix.core.health.LatencyMonitor;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.function.ToLongFunction;
import java.util.stream.Stream;
import org.HdrHistogram.Recorder;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.openjdk.jmh.annotations.Benchmark;

/**
 * Every benchmark method does the work its name promises: called directly, it returns the result
 * of that work (a decision, a claimed key, a replayed record, a written row, an echoed item), or,
 * for the two that return nothing, leaves the recordings in its histogram. An emptied benchmark
 * body, which JMH would happily score, fails here.
 */
class BenchmarksDoRealWorkTest {

    private static final int CALLS = 3;

    /** For benchmarks that return nothing: how many recordings their state holds afterwards. */
    private static final Map<String, ToLongFunction<Object>> RECORDINGS = Map.of(
            "valerixLatencyMonitor",
                    benchmark -> ((LatencyMonitor) field(benchmark, "monitor"))
                            .snapshotsByKey().values().stream()
                                    .mapToLong(snapshot -> snapshot.count())
                                    .sum(),
            "hdrHistogramRecorder",
                    benchmark -> ((Recorder) field(benchmark, "recorder"))
                            .getIntervalHistogram()
                            .getTotalCount());

    static Stream<Method> benchmarks() {
        return Stream.concat(BenchmarkSmokeTest.BENCHMARKS.stream(), Stream.of(ChangeJournalBenchmark.class))
                .flatMap(type -> Arrays.stream(type.getDeclaredMethods())
                        .filter(method -> method.isAnnotationPresent(Benchmark.class)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("benchmarks")
    void everyBenchmarkMethodDoesItsWork(Method benchmark) throws Exception {
        BenchmarkInvocation.Outcome outcome = BenchmarkInvocation.call(benchmark, CALLS);

        if (benchmark.getReturnType() == void.class) {
            assertThat(RECORDINGS)
                    .as("a benchmark returning nothing needs a witness of its work")
                    .containsKey(benchmark.getName());
            assertThat(RECORDINGS.get(benchmark.getName()).applyAsLong(outcome.benchmark()))
                    .isEqualTo(CALLS);
            return;
        }
        assertThat(outcome.results()).hasSize(CALLS).allSatisfy(result -> {
            assertThat(result).isNotNull();
            if (result instanceof Optional<?> optional) {
                assertThat(optional).as("what %s found", benchmark.getName()).isPresent();
            } else if (result instanceof Boolean done) {
                assertThat(done).as("what %s did", benchmark.getName()).isTrue();
            } else if (result instanceof Number number) {
                assertThat(number.longValue())
                        .as("what %s counted", benchmark.getName())
                        .isPositive();
            }
        });
    }

    private static Object field(Object target, String name) {
        try {
            Field field = target.getClass().getDeclaredField(name);
            field.setAccessible(true);
            return field.get(target);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }
}
