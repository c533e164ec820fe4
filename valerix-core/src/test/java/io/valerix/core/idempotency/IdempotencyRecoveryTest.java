package io.valerix.core.idempotency;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import io.valerix.core.http.Handler;
import io.valerix.core.http.Response;
import io.valerix.core.idempotency.IdempotencyRecord.State;
import io.valerix.core.testing.DatabaseEngine;
import io.valerix.core.testing.ManualWallClock;
import io.valerix.core.testing.RawHttp;
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

    @Parameter
    DatabaseEngine engine;

    @TempDir
    Path dir;

    private TestDatabase database;
    private HikariDataSource db;
    private final ManualWallClock clock = new ManualWallClock(Instant.parse("2030-01-01T00:00:00Z"));
    private final IdempotencyConfig config =
            IdempotencyConfig.builder().lease(LEASE).clock(clock).build();

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
            Future<RawHttp.Reply> hung = pool.submit(() -> service.post(ORDER, "Idempotency-Key", "k-1"));
            assertThat(firstEntered.await(20, TimeUnit.SECONDS)).isTrue();
            long hungToken = service.store.find(SCOPE, "k-1").orElseThrow().fencingToken();

            RawHttp.Reply withinLease = service.post(ORDER, "Idempotency-Key", "k-1");
            clock.advance(LEASE.plusSeconds(1));
            RawHttp.Reply afterLease = service.post(ORDER, "Idempotency-Key", "k-1");
            firstMayFinish.countDown();
            RawHttp.Reply late = hung.get(20, TimeUnit.SECONDS);
            RawHttp.Reply retry = service.post(ORDER, "Idempotency-Key", "k-1");

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
            String fingerprint =
                    service.store.find(SCOPE, "probe").orElseThrow().fingerprint();
            Instant now = clock.instant();
            IdempotencyRecord crashed = IdempotencyRecord.inProgress(
                    SCOPE, "k-1", fingerprint, service.store.nextFencingToken(), now, now.plus(LEASE));
            assertThat(service.store.insert(crashed)).isTrue();
            int runsBefore = service.runs("o-1");

            RawHttp.Reply blocked = service.post(ORDER, "Idempotency-Key", "k-1");
            clock.advance(LEASE);
            RawHttp.Reply recovered = service.post(ORDER, "Idempotency-Key", "k-1");
            RawHttp.Reply replayed = service.post(ORDER, "Idempotency-Key", "k-1");
            boolean crashedFinisherWrote = service.store.replace(
                    crashed.fencingToken(),
                    crashed.completed(
                            new StoredResponse(500, Map.of(), new byte[0]),
                            clock.instant(),
                            clock.instant().plusSeconds(60)));

            assertThat(blocked.status()).isEqualTo(409);
            assertThat(recovered.status()).isEqualTo(201);
            assertThat(replayed.replayed()).isTrue();
            assertThat(service.runs("o-1")).isEqualTo(runsBefore + 1);
            assertThat(crashedFinisherWrote).isFalse();
            assertThat(service.store.find(SCOPE, "k-1").orElseThrow().response().status())
                    .isEqualTo(201);
        }
    }

    @Test
    void aClaimWhoseHolderStoppedHeartbeatingIsTakenOverLongBeforeItsLeaseAndItsLateWriteIsRefused() {
        IdempotencyConfig heartbeats = IdempotencyConfig.builder()
                .lease(LEASE)
                .clock(clock)
                .instanceId("instance-b")
                .heartbeatPeriod(Duration.ofMillis(10))
                .build();
        try (EffectService service = EffectService.start(db, heartbeats, r -> EffectService.placeOrder(db, r))) {
            service.filter.start();
            // Given a claim held by instance-a, which then died: it registered, and never beat again
            IdempotencyRecord crashed = forgeClaim(service, "k-1", service.store.register("instance-a"));
            int runsBefore = service.runs("o-1");

            // When a retry comes to instance-b, whose clock never reaches the end of the lease
            RawHttp.Reply[] recovered = new RawHttp.Reply[1];
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> {
                recovered[0] = service.post(ORDER, "Idempotency-Key", "k-1");
                return recovered[0].status() != 409;
            });
            boolean zombieWrote = service.store.replace(
                    crashed.fencingToken(),
                    crashed.completed(
                            new StoredResponse(500, Map.of(), new byte[0]),
                            clock.instant(),
                            clock.instant().plusSeconds(60)));

            // Then the retry ran once, under a new fencing token, and the dead holder's late write is refused
            assertThat(recovered[0].status()).isEqualTo(201);
            assertThat(service.runs("o-1")).isEqualTo(runsBefore + 1);
            assertThat(zombieWrote).isFalse();
            IdempotencyRecord record = service.store.find(SCOPE, "k-1").orElseThrow();
            assertThat(record.fencingToken()).isGreaterThan(crashed.fencingToken());
            assertThat(record.response().status()).isEqualTo(201);
        }
    }

    @Test
    void aRestartUnderTheSameInstanceIdFreesTheClaimsOfItsDeadIncarnationAtOnceButNotThoseOfALiveNeighbour() {
        // Heartbeats so slow that only the restart itself can free anything within the test
        IdempotencyConfig restarted = IdempotencyConfig.builder()
                .lease(LEASE)
                .clock(clock)
                .instanceId("instance-a")
                .heartbeatPeriod(Duration.ofMinutes(1))
                .build();
        try (EffectService service = EffectService.start(db, restarted, r -> EffectService.placeOrder(db, r))) {
            String otherOrder = ORDER.replace("o-1", "o-2");
            IdempotencyRecord leftByCrash = forgeClaim(service, "k-1", service.store.register("instance-a"));
            forgeClaim(service, "k-2", otherOrder, service.store.register("instance-c"));
            int neighbourRunsBefore = service.runs("o-2");
            RawHttp.Reply beforeRestart = service.post(ORDER, "Idempotency-Key", "k-1");

            service.filter.start();
            RawHttp.Reply afterRestart = service.post(ORDER, "Idempotency-Key", "k-1");
            RawHttp.Reply neighbours = service.post(otherOrder, "Idempotency-Key", "k-2");

            assertThat(beforeRestart.status()).isEqualTo(409);
            assertThat(afterRestart.status()).isEqualTo(201);
            assertThat(service.store.find(SCOPE, "k-1").orElseThrow().fencingToken())
                    .isGreaterThan(leftByCrash.fencingToken());
            assertThat(neighbours.status()).isEqualTo(409);
            assertThat(service.runs("o-2")).isEqualTo(neighbourRunsBefore);
        }
    }

    @Test
    void aCleanlyClosedFilterRetiresItsHolderSoItsLeftoverClaimsAreFreeAtOnce() {
        IdempotencyConfig other = IdempotencyConfig.builder()
                .lease(LEASE)
                .clock(clock)
                .instanceId("instance-b")
                .build();
        try (EffectService service = EffectService.start(db, other, r -> EffectService.placeOrder(db, r))) {
            service.filter.start();
            IdempotencyFilter stopping = IdempotencyFilter.of(
                            service.store,
                            IdempotencyConfig.builder()
                                    .lease(LEASE)
                                    .clock(clock)
                                    .instanceId("instance-a")
                                    .build())
                    .start();
            forgeClaim(service, "k-1", stopping.holder().orElseThrow());
            RawHttp.Reply whileRunning = service.post(ORDER, "Idempotency-Key", "k-1");

            stopping.close();
            RawHttp.Reply afterStop = service.post(ORDER, "Idempotency-Key", "k-1");

            assertThat(whileRunning.status()).isEqualTo(409);
            assertThat(afterStop.status()).isEqualTo(201);
        }
    }

    /** Writes an IN_PROGRESS claim of {@link #ORDER} under {@code key} held by {@code holder}, as that holder would have. */
    private IdempotencyRecord forgeClaim(EffectService service, String key, LeaseHolder holder) {
        return forgeClaim(service, key, ORDER, holder);
    }

    private IdempotencyRecord forgeClaim(EffectService service, String key, String order, LeaseHolder holder) {
        // A completed probe with the same body gives this request's fingerprint to forge with.
        String probe = "probe-" + key;
        service.post(order, "Idempotency-Key", probe);
        String fingerprint = service.store.find(SCOPE, probe).orElseThrow().fingerprint();
        Instant now = clock.instant();
        IdempotencyRecord claim = IdempotencyRecord.inProgress(
                        SCOPE, key, fingerprint, service.store.nextFencingToken(), now, now.plus(LEASE))
                .heldBy(holder);
        assertThat(service.store.insert(claim)).isTrue();
        return claim;
    }

    @Test
    void recoverExpiredReleasesOnlyClaimsWhoseLeaseEnded() {
        try (EffectService service = EffectService.start(db, config, r -> EffectService.placeOrder(db, r))) {
            Instant now = clock.instant();
            service.store.insert(IdempotencyRecord.inProgress(
                    SCOPE, "abandoned", "f".repeat(64), service.store.nextFencingToken(), now, now.plus(LEASE)));
            clock.advance(Duration.ofSeconds(10));
            Instant later = clock.instant();
            service.store.insert(IdempotencyRecord.inProgress(
                    SCOPE, "running", "f".repeat(64), service.store.nextFencingToken(), later, later.plus(LEASE)));
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
        IdempotencyConfig retained = IdempotencyConfig.builder()
                .lease(LEASE)
                .retention(Duration.ofHours(24))
                .clock(clock)
                .build();
        try (EffectService service = EffectService.start(db, retained, r -> EffectService.placeOrder(db, r))) {
            service.post("{\"orderId\":\"old\",\"sku\":\"apple\",\"quantity\":1}", "Idempotency-Key", "old");
            clock.advance(Duration.ofHours(12));
            service.post("{\"orderId\":\"young\",\"sku\":\"apple\",\"quantity\":1}", "Idempotency-Key", "young");

            clock.advance(Duration.ofHours(12).minusSeconds(1));
            int tooEarly = service.filter.purgeExpired();
            clock.advance(Duration.ofSeconds(1));
            int purged = service.filter.purgeExpired();
            RawHttp.Reply oldAgain =
                    service.post("{\"orderId\":\"old\",\"sku\":\"apple\",\"quantity\":1}", "Idempotency-Key", "old");
            RawHttp.Reply youngAgain = service.post(
                    "{\"orderId\":\"young\",\"sku\":\"apple\",\"quantity\":1}", "Idempotency-Key", "young");

            assertThat(tooEarly).isZero();
            assertThat(purged).isEqualTo(1);
            assertThat(oldAgain.replayed()).as("a purged key is a new key").isFalse();
            assertThat(service.runs("old")).isEqualTo(2);
            assertThat(youngAgain.replayed()).isTrue();
            assertThat(service.runs("young")).isEqualTo(1);
        }
    }
}
