package io.valerix.bench;

import io.valerix.core.health.HealthConfig;
import io.valerix.core.health.LatencyMonitor;
import io.valerix.core.health.Outcome;
import io.valerix.core.health.RequestKey;
import io.valerix.core.time.NanoClock;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Recorder;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What recording one request's latency costs: {@link LatencyMonitor#record(RequestKey, long)}
 * (a rolling window per key plus a cumulative histogram plus the server scope, all
 * HdrHistogram-based) beside a plain HdrHistogram {@link Recorder#recordValue(long)}, the floor
 * any HdrHistogram-based monitor stands on.
 *
 * <p>Latencies cycle through 4,096 log-uniform values between 100 µs and 5 s, so the
 * histograms see realistic buckets rather than one hot slot.
 *
 * <p>Run: {@code java -jar benchmarks/target/benchmarks.jar LatencyRecordingBenchmark -prof gc}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 2, jvmArgsAppend = "-Xmx1g")
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class LatencyRecordingBenchmark {

    private static final int VALUES = 4_096;

    private final long[] latencies = new long[VALUES];
    private int next;
    private LatencyMonitor monitor;
    private RequestKey key;
    private Recorder recorder;

    @Setup(Level.Trial)
    public void setUp() {
        SplittableRandom random = new SplittableRandom(7);
        double low = Math.log(100_000);
        double high = Math.log(5_000_000_000L);
        for (int i = 0; i < VALUES; i++) {
            latencies[i] = (long) Math.exp(low + random.nextDouble() * (high - low));
        }
        monitor = LatencyMonitor.of(HealthConfig.defaults(), NanoClock.system());
        key = RequestKey.server("PUT", "/reservations/{orderId}", Outcome.status(200));
        // The range and precision of LatencyMonitor's own windows: 1 µs to 1 h, 3 significant digits.
        recorder = new Recorder(1_000, TimeUnit.HOURS.toNanos(1), 3);
    }

    private long nextLatency() {
        long value = latencies[next];
        next = (next + 1) & (VALUES - 1);
        return value;
    }

    @Benchmark
    public void valerixLatencyMonitor() {
        monitor.record(key, nextLatency());
    }

    @Benchmark
    public void hdrHistogramRecorder() {
        recorder.recordValue(nextLatency());
    }
}
