package io.valerix.bench;

import dev.failsafe.Failsafe;
import dev.failsafe.FailsafeExecutor;
import dev.failsafe.Timeout;
import io.github.resilience4j.timelimiter.TimeLimiterConfig;
import io.valerix.core.deadline.TimeLimiter;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The cost of running a trivial blocking call under a timeout that does not fire: Valerix's
 * caller-runs {@link TimeLimiter} beside Resilience4j's {@code TimeLimiter} (which needs a future,
 * so the call moves to another thread) and Failsafe's {@code Timeout} with interrupt, and a
 * baseline with no limiter at all.
 *
 * <p>Each variant runs twice: called from JMH's own (platform) thread, and called from a virtual
 * thread. JMH cannot run its measurement loop on a virtual thread, so the {@code virtualCaller*}
 * methods start one virtual thread per invocation, run {@value #BATCH} operations on it and join
 * it; the score is per operation ({@code @OperationsPerInvocation}). Starting and joining that
 * thread is amortised over the batch, and {@link #virtualCallerBaseline()} pays the same price, so
 * a variant's overhead is its score minus the baseline of the same caller kind.
 *
 * <p>Run: {@code java -jar benchmarks/target/benchmarks.jar TimeLimiterBenchmark -prof gc}
 * (after {@code ./mvnw -DskipTests package}); use a JDK >= 21. {@code bin/bench} runs it with the
 * rest of the suite.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 2, jvmArgsAppend = "-Xmx1g")
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class TimeLimiterBenchmark {

    /** Operations per virtual caller thread: enough that starting the thread is noise. */
    static final int BATCH = 1_000;

    private static final Duration TIMEOUT = Duration.ofSeconds(1);

    private TimeLimiter valerix;
    private io.github.resilience4j.timelimiter.TimeLimiter resilience4j;
    private FailsafeExecutor<Object> failsafe;
    private ExecutorService platformPool;
    private ExecutorService virtualThreads;
    private long counter;

    @Setup(Level.Trial)
    public void setUp() {
        valerix = TimeLimiter.of(TIMEOUT);
        resilience4j = io.github.resilience4j.timelimiter.TimeLimiter.of(TimeLimiterConfig.custom()
                .timeoutDuration(TIMEOUT)
                .cancelRunningFuture(true)
                .build());
        failsafe = Failsafe.with(Timeout.builder(TIMEOUT).withInterrupt().build());
        platformPool = Executors.newCachedThreadPool();
        virtualThreads = Executors.newVirtualThreadPerTaskExecutor();
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        platformPool.shutdownNow();
        virtualThreads.shutdownNow();
    }

    /** The trivial task every variant runs. */
    private long task() {
        return ++counter;
    }

    // --- called from JMH's platform thread ---

    @Benchmark
    public long baseline() {
        return task();
    }

    @Benchmark
    public long valerixCallerRuns() {
        return valerix.call(cancel -> task());
    }

    @Benchmark
    public long resilience4jPlatformPool() throws Exception {
        return resilience4j.executeFutureSupplier(() -> CompletableFuture.supplyAsync(this::task, platformPool));
    }

    @Benchmark
    public long resilience4jVirtualThreads() throws Exception {
        return resilience4j.executeFutureSupplier(() -> CompletableFuture.supplyAsync(this::task, virtualThreads));
    }

    @Benchmark
    public Object failsafeTimeoutWithInterrupt() {
        return failsafe.get(this::task);
    }

    // --- called from a virtual thread ---

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public long virtualCallerBaseline() throws Exception {
        return onVirtualThread(this::task);
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public long virtualCallerValerixCallerRuns() throws Exception {
        return onVirtualThread(this::valerixCallerRuns);
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public long virtualCallerResilience4jPlatformPool() throws Exception {
        return onVirtualThread(this::resilience4jPlatformPool);
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public long virtualCallerResilience4jVirtualThreads() throws Exception {
        return onVirtualThread(this::resilience4jVirtualThreads);
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public long virtualCallerFailsafeTimeoutWithInterrupt() throws Exception {
        return onVirtualThread(() -> (Long) failsafeTimeoutWithInterrupt());
    }

    /** One operation; may throw what the limiter throws. */
    @FunctionalInterface
    interface Operation {
        long run() throws Exception;
    }

    /**
     * Runs {@code operation} {@value #BATCH} times on a new virtual thread and waits for it. The
     * results are summed and returned so that the JIT cannot drop the work.
     */
    private static long onVirtualThread(Operation operation) throws Exception {
        long[] sum = new long[1];
        Exception[] failure = new Exception[1];
        Thread thread = Thread.ofVirtual().start(() -> {
            try {
                long s = 0;
                for (int i = 0; i < BATCH; i++) {
                    s += operation.run();
                }
                sum[0] = s;
            } catch (Exception e) {
                failure[0] = e;
            }
        });
        thread.join();
        if (failure[0] != null) {
            throw failure[0];
        }
        return sum[0];
    }
}
