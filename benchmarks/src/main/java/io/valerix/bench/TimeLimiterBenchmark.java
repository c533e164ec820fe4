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
 * {@link #baseline()} with no limiter at all.
 *
 * <p>Run: {@code java -jar benchmarks/target/benchmarks.jar TimeLimiterBenchmark -prof gc}
 * (after {@code ./mvnw -DskipTests package}); use a JDK >= 21.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 2, jvmArgsAppend = "-Xmx1g")
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class TimeLimiterBenchmark {

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
    resilience4j = io.github.resilience4j.timelimiter.TimeLimiter.of(
        TimeLimiterConfig.custom().timeoutDuration(TIMEOUT).cancelRunningFuture(true).build());
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
}
