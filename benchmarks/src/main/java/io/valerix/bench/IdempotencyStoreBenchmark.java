package io.valerix.bench;

import com.zaxxer.hikari.HikariDataSource;
import io.valerix.core.idempotency.IdempotencyRecord;
import io.valerix.core.idempotency.IdempotencyStore;
import io.valerix.core.idempotency.StoredResponse;
import io.valerix.core.jdbc.H2Database;
import io.valerix.core.jdbc.SchemaMigrations;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
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
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The idempotency store on its real engine: {@code IdempotencyStore.of} over a durable H2 file
 * ({@link H2Database#open}: WRITE_DELAY=0, so every commit reaches the OS) in a temporary
 * directory, at 1, 4 and 16 threads.
 *
 * <ul>
 *   <li>{@code claim*}: what a first request costs the store: claim a fresh key (an insert that
 *       the primary key decides) and record its answer (a replace conditioned on the fencing
 *       token). Two commits.
 *   <li>{@code replay*}: what a retry of a finished request costs: one lookup by key that
 *       returns the stored answer, over 1,000 completed keys.
 * </ul>
 *
 * <p>Run: {@code java -jar benchmarks/target/benchmarks.jar IdempotencyStoreBenchmark -prof gc}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 2, jvmArgsAppend = "-Xmx1g")
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class IdempotencyStoreBenchmark {

    private static final String SCOPE = "POST /orders";
    private static final String FINGERPRINT = "a".repeat(64);
    private static final int REPLAY_KEYS = 1_000;
    private static final StoredResponse ANSWER = new StoredResponse(
            201,
            Map.of("Content-Type", List.of("application/json")),
            "{\"orderId\":\"o-1\",\"sku\":\"widget\",\"quantity\":1,\"status\":\"CONFIRMED\"}"
                    .getBytes(StandardCharsets.UTF_8));

    private final AtomicLong keys = new AtomicLong();
    private final AtomicLong replays = new AtomicLong();
    private Path directory;
    private HikariDataSource dataSource;
    private IdempotencyStore store;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        directory = Files.createTempDirectory("valerix-bench-idempotency");
        dataSource = H2Database.open(directory, "idempotency", 16);
        SchemaMigrations.migrate(dataSource, IdempotencyStore.SCHEMA);
        store = IdempotencyStore.of(dataSource);
    }

    /** The finished keys the replay benchmarks look up; only they pay for creating them. */
    @State(Scope.Benchmark)
    public static class FinishedKeys {
        @Setup(Level.Trial)
        public void create(IdempotencyStoreBenchmark benchmark) {
            for (int i = 0; i < REPLAY_KEYS; i++) {
                benchmark.claimAndComplete("replay-" + i);
            }
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        dataSource.close();
        try (Stream<Path> files = Files.walk(directory)) {
            files.sorted(Comparator.reverseOrder())
                    .forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private boolean claimAndComplete(String key) {
        Instant now = Instant.now();
        long token = store.nextFencingToken();
        IdempotencyRecord claim =
                IdempotencyRecord.inProgress(SCOPE, key, FINGERPRINT, token, now, now.plus(Duration.ofSeconds(30)));
        if (!store.insert(claim)) {
            throw new IllegalStateException("fresh key " + key + " was already taken");
        }
        return store.replace(token, claim.completed(ANSWER, now, now.plus(Duration.ofHours(24))));
    }

    private Optional<IdempotencyRecord> replay() {
        Optional<IdempotencyRecord> found = store.find(SCOPE, "replay-" + (replays.getAndIncrement() % REPLAY_KEYS));
        if (found.isEmpty() || found.get().response() == null) {
            throw new IllegalStateException("a completed key was not found");
        }
        return found;
    }

    @Benchmark
    @Threads(1)
    public boolean claim1Thread() {
        return claimAndComplete("k-" + keys.incrementAndGet());
    }

    @Benchmark
    @Threads(4)
    public boolean claim4Threads() {
        return claimAndComplete("k-" + keys.incrementAndGet());
    }

    @Benchmark
    @Threads(16)
    public boolean claim16Threads() {
        return claimAndComplete("k-" + keys.incrementAndGet());
    }

    @Benchmark
    @Threads(1)
    public Optional<IdempotencyRecord> replay1Thread(FinishedKeys keys) {
        return replay();
    }

    @Benchmark
    @Threads(4)
    public Optional<IdempotencyRecord> replay4Threads(FinishedKeys keys) {
        return replay();
    }

    @Benchmark
    @Threads(16)
    public Optional<IdempotencyRecord> replay16Threads(FinishedKeys keys) {
        return replay();
    }
}
