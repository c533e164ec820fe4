package io.valerix.core.idempotency;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import io.valerix.core.http.Handler;
import io.valerix.core.http.Response;
import io.valerix.core.idempotency.IdempotencyRecord.State;
import io.valerix.core.testing.DatabaseEngine;
import io.valerix.core.testing.TestDatabase;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/** Claims left behind by crashes, late finishers, and records past their retention. */
@ParameterizedClass
@EnumSource(DatabaseEngine.class)
class IdempotencyRecoveryTest {

  private static final String ORDER = "{\"orderId\":\"o-1\",\"sku\":\"apple\",\"quantity\":2}";
  private static final String SCOPE = "POST /orders";
  private static final Duration LEASE = Duration.ofSeconds(30);

  @Parameter DatabaseEngine engine;
  @TempDir Path dir;
  private TestDatabase database;
  private HikariDataSource db;
  private final TestClock clock = new TestClock();
  private final IdempotencyConfig config = IdempotencyConfig.builder().lease(LEASE).clock(clock).build();

  @BeforeEach
  void openDatabase() {
    database = engine.create(dir, "orders");
    db = database.open(8);
  }

  @AfterEach
  void closeDatabase() {
    db.close();
  }

  @Test
  void aHungClaimIsTakenOverAfterItsLeaseAndItsLateFinisherCannotOverwriteTheResult() throws Exception {
    CountDownLatch firstEntered = new CountDownLatch(1);
    CountDownLatch firstMayFinish = new CountDownLatch(1);
    AtomicInteger calls = new AtomicInteger();
    Handler handler = r -> {
      if (calls.incrementAndGet() == 1) {
        // Hangs before doing anything, like a process stalled in a GC pause or on a dead socket.
        firstEntered.countDown();
        firstMayFinish.await(20, TimeUnit.SECONDS);
        return Response.json(201, Map.of("by", "late first"));
      }
      return EffectService.placeOrder(db, r);
    };
    ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor();
    try (EffectService service = EffectService.start(db, config, handler)) {
      Future<Http.Reply> hung = pool.submit(() -> service.post(ORDER, "Idempotency-Key", "k-1"));
      assertThat(firstEntered.await(20, TimeUnit.SECONDS)).isTrue();
      long hungToken = service.store.find(SCOPE, "k-1").orElseThrow().fencingToken();

      Http.Reply withinLease = service.post(ORDER, "Idempotency-Key", "k-1");
      clock.advance(LEASE.plusSeconds(1));
      Http.Reply afterLease = service.post(ORDER, "Idempotency-Key", "k-1");
      firstMayFinish.countDown();
      Http.Reply late = hung.get(20, TimeUnit.SECONDS);
      Http.Reply retry = service.post(ORDER, "Idempotency-Key", "k-1");

      assertThat(withinLease.status()).isEqualTo(409);
      assertThat(afterLease.status()).isEqualTo(201);
      assertThat(afterLease.replayed()).isFalse();
      assertThat(late.json().path("by").asText()).isEqualTo("late first");
      assertThat(retry.replayed()).isTrue();
      assertThat(retry.body()).isEqualTo(afterLease.body());
      assertThat(service.runs("o-1")).isEqualTo(1);
      IdempotencyRecord record = service.store.find(SCOPE, "k-1").orElseThrow();
      assertThat(record.state()).isEqualTo(State.COMPLETED);
      assertThat(record.fencingToken()).isGreaterThan(hungToken);
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void aClaimLeftByACrashedInstanceBlocksTheKeyUntilItsLeaseEndsThenTheRetryRunsOnce() {
    try (EffectService service = EffectService.start(db, config, r -> EffectService.placeOrder(db, r))) {
      // A completed probe with another key gives us this request's fingerprint to forge with.
      service.post(ORDER, "Idempotency-Key", "probe");
      String fingerprint = service.store.find(SCOPE, "probe").orElseThrow().fingerprint();
      Instant now = clock.instant();
      IdempotencyRecord crashed =
          IdempotencyRecord.inProgress(SCOPE, "k-1", fingerprint, service.store.nextFencingToken(), now, now.plus(LEASE));
      assertThat(service.store.insert(crashed)).isTrue();
      int runsBefore = service.runs("o-1");

      Http.Reply blocked = service.post(ORDER, "Idempotency-Key", "k-1");
      clock.advance(LEASE);
      Http.Reply recovered = service.post(ORDER, "Idempotency-Key", "k-1");
      Http.Reply replayed = service.post(ORDER, "Idempotency-Key", "k-1");
      boolean crashedFinisherWrote = service.store.replace(crashed.fencingToken(),
          crashed.completed(new StoredResponse(500, Map.of(), new byte[0]), clock.instant(), clock.instant().plusSeconds(60)));

      assertThat(blocked.status()).isEqualTo(409);
      assertThat(recovered.status()).isEqualTo(201);
      assertThat(replayed.replayed()).isTrue();
      assertThat(service.runs("o-1")).isEqualTo(runsBefore + 1);
      assertThat(crashedFinisherWrote).isFalse();
      assertThat(service.store.find(SCOPE, "k-1").orElseThrow().response().status()).isEqualTo(201);
    }
  }

  @Test
  void recoverExpiredReleasesOnlyClaimsWhoseLeaseEnded() {
    try (EffectService service = EffectService.start(db, config, r -> EffectService.placeOrder(db, r))) {
      Instant now = clock.instant();
      service.store.insert(IdempotencyRecord.inProgress(SCOPE, "abandoned", "f".repeat(64), service.store.nextFencingToken(), now, now.plus(LEASE)));
      clock.advance(Duration.ofSeconds(10));
      Instant later = clock.instant();
      service.store.insert(IdempotencyRecord.inProgress(SCOPE, "running", "f".repeat(64), service.store.nextFencingToken(), later, later.plus(LEASE)));
      service.post(ORDER, "Idempotency-Key", "done");
      clock.advance(Duration.ofSeconds(25));

      int released = service.filter.recoverExpired();

      assertThat(released).isEqualTo(1);
      assertThat(service.store.find(SCOPE, "abandoned")).isEmpty();
      assertThat(service.store.find(SCOPE, "running")).isPresent();
      assertThat(service.store.find(SCOPE, "done")).isPresent();
    }
  }

  @Test
  void purgeRemovesOnlyRecordsWhoseRetentionEnded() {
    IdempotencyConfig retained = IdempotencyConfig.builder().lease(LEASE).retention(Duration.ofHours(24)).clock(clock).build();
    try (EffectService service = EffectService.start(db, retained, r -> EffectService.placeOrder(db, r))) {
      service.post("{\"orderId\":\"old\",\"sku\":\"apple\",\"quantity\":1}", "Idempotency-Key", "old");
      clock.advance(Duration.ofHours(12));
      service.post("{\"orderId\":\"young\",\"sku\":\"apple\",\"quantity\":1}", "Idempotency-Key", "young");

      clock.advance(Duration.ofHours(12).minusSeconds(1));
      int tooEarly = service.filter.purgeExpired();
      clock.advance(Duration.ofSeconds(1));
      int purged = service.filter.purgeExpired();
      Http.Reply oldAgain = service.post("{\"orderId\":\"old\",\"sku\":\"apple\",\"quantity\":1}", "Idempotency-Key", "old");
      Http.Reply youngAgain = service.post("{\"orderId\":\"young\",\"sku\":\"apple\",\"quantity\":1}", "Idempotency-Key", "young");

      assertThat(tooEarly).isZero();
      assertThat(purged).isEqualTo(1);
      assertThat(oldAgain.replayed()).as("a purged key is a new key").isFalse();
      assertThat(service.runs("old")).isEqualTo(2);
      assertThat(youngAgain.replayed()).isTrue();
      assertThat(service.runs("young")).isEqualTo(1);
    }
  }
}
