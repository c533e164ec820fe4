package io.valerix.core.idempotency;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import io.valerix.core.http.Handler;
import io.valerix.core.http.JsonServer;
import io.valerix.core.http.Response;
import io.valerix.core.testing.DatabaseEngine;
import io.valerix.core.testing.RawHttp;
import io.valerix.core.testing.TestDatabase;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.IntFunction;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/** Many requests with one key at once: one runs, the rest get its answer or 409. */
@ParameterizedClass
@EnumSource(DatabaseEngine.class)
class IdempotencyConcurrencyTest {

    private static final String ORDER = "{\"orderId\":\"o-1\",\"sku\":\"apple\",\"quantity\":2}";

    @Parameter
    DatabaseEngine engine;

    @TempDir
    Path dir;

    private TestDatabase database;
    private HikariDataSource db;

    @BeforeEach
    void openDatabase() {
        database = engine.create(dir, "orders");
        db = database.open(16);
    }

    @AfterEach
    void closeDatabase() {
        db.close();
    }

    @Test
    void fiftyConcurrentRequestsWithOneKeyRunTheHandlerOnceAndAllGetOneAnswerOr409() throws Exception {
        int requests = 50;
        CountDownLatch othersAnswered = new CountDownLatch(requests - 1);
        AtomicBoolean heldUntilOthersAnswered = new AtomicBoolean();
        Handler holdThenPlace = r -> {
            // Keep the winner running until every other request has its answer, so all 49 really
            // arrive while the key is held, however the threads are scheduled.
            heldUntilOthersAnswered.set(othersAnswered.await(20, TimeUnit.SECONDS));
            return EffectService.placeOrder(db, r);
        };
        try (EffectService service = EffectService.start(db, IdempotencyConfig.defaults(), holdThenPlace)) {

            List<RawHttp.Reply> replies = concurrently(requests, i -> {
                RawHttp.Reply reply = service.post(ORDER, "Idempotency-Key", "k-1");
                if (reply.status() == 409) {
                    othersAnswered.countDown();
                }
                return reply;
            });
            List<RawHttp.Reply> retries = concurrently(10, i -> service.post(ORDER, "Idempotency-Key", "k-1"));

            assertThat(heldUntilOthersAnswered).isTrue();
            assertThat(service.runs("o-1")).isEqualTo(1);
            List<RawHttp.Reply> answered =
                    replies.stream().filter(r -> r.status() != 409).toList();
            assertThat(answered).hasSize(1);
            RawHttp.Reply first = answered.get(0);
            assertThat(first.status()).isEqualTo(201);
            assertThat(replies.stream().filter(r -> r.status() == 409)).allSatisfy(r -> {
                assertThat(r.problemType()).isEqualTo("urn:valerix:problem:idempotency-request-in-progress");
                assertThat(r.header("Retry-After")).isEqualTo("1");
            });
            assertThat(retries).allSatisfy(r -> {
                assertThat(r.status()).isEqualTo(201);
                assertThat(r.replayed()).isTrue();
                assertThat(r.body()).isEqualTo(first.body());
            });
        }
    }

    @Test
    void withAWaitConfiguredARequestArrivingMidwayGetsTheFirstAnswerInsteadOf409() throws Exception {
        CountDownLatch firstIsRunning = new CountDownLatch(1);
        CountDownLatch secondIsWaiting = new CountDownLatch(1);
        AtomicBoolean heldUntilSecondWaited = new AtomicBoolean();
        Handler holdThenPlace = r -> {
            firstIsRunning.countDown();
            heldUntilSecondWaited.set(secondIsWaiting.await(20, TimeUnit.SECONDS));
            return EffectService.placeOrder(db, r);
        };
        IdempotencyConfig config = IdempotencyConfig.builder()
                .inProgressWait(Duration.ofSeconds(20))
                .build();
        try (EffectService service = EffectService.start(db, config, holdThenPlace)) {
            // The store tells us when the second request has seen the first one's claim and is waiting.
            IdempotencyStore watched = new ForwardingStore(service.store) {
                @Override
                public Optional<IdempotencyRecord> find(String scope, String key) {
                    Optional<IdempotencyRecord> found = super.find(scope, key);
                    if (found.isPresent() && found.get().state() == IdempotencyRecord.State.IN_PROGRESS) {
                        secondIsWaiting.countDown();
                    }
                    return found;
                }
            };
            try (JsonServer waiting = JsonServer.builder()
                    .filter(IdempotencyFilter.of(watched, config))
                    .route("POST", "/orders", r -> Response.json(500, Map.of("ran", "the second handler must not run")))
                    .build()
                    .start()) {
                ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor();
                try {
                    Future<RawHttp.Reply> first = pool.submit(() -> service.post(ORDER, "Idempotency-Key", "k-1"));
                    assertThat(firstIsRunning.await(20, TimeUnit.SECONDS)).isTrue();
                    RawHttp.Reply second = RawHttp.post(waiting.uri(), "/orders", ORDER, "Idempotency-Key", "k-1");

                    assertThat(first.get(20, TimeUnit.SECONDS).status()).isEqualTo(201);
                    assertThat(heldUntilSecondWaited).isTrue();
                    assertThat(second.status()).isEqualTo(201);
                    assertThat(second.replayed()).isTrue();
                    assertThat(second.body()).isEqualTo(first.get().body());
                    assertThat(service.runs("o-1")).isEqualTo(1);
                } finally {
                    pool.shutdownNow();
                }
            }
        }
    }

    @Test
    void twoServiceInstancesSharingOneDatabaseRunAKeyOnce() throws Exception {
        try (HikariDataSource secondPool = database.open(16);
                EffectService first =
                        EffectService.start(db, IdempotencyConfig.defaults(), r -> EffectService.placeOrder(db, r));
                EffectService second = EffectService.start(
                        secondPool, IdempotencyConfig.defaults(), r -> EffectService.placeOrder(secondPool, r))) {
            List<EffectService> instances = List.of(first, second);

            List<RawHttp.Reply> replies =
                    concurrently(40, i -> instances.get(i % 2).post(ORDER, "Idempotency-Key", "k-1"));
            RawHttp.Reply settled = second.post(ORDER, "Idempotency-Key", "k-1");

            assertThat(first.runs("o-1")).isEqualTo(1);
            List<RawHttp.Reply> answered =
                    replies.stream().filter(r -> r.status() != 409).toList();
            assertThat(answered).isNotEmpty().allSatisfy(r -> {
                assertThat(r.status()).isEqualTo(201);
                assertThat(r.body()).isEqualTo(settled.body());
            });
            assertThat(answered.stream().filter(r -> !r.replayed())).hasSize(1);
        }
    }

    private static List<RawHttp.Reply> concurrently(int count, IntFunction<RawHttp.Reply> request) throws Exception {
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor();
        try {
            List<Future<RawHttp.Reply>> futures = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                int index = i;
                futures.add(pool.submit(() -> {
                    start.await();
                    return request.apply(index);
                }));
            }
            start.countDown();
            List<RawHttp.Reply> replies = new ArrayList<>();
            for (Future<RawHttp.Reply> future : futures) {
                replies.add(future.get(30, TimeUnit.SECONDS));
            }
            return replies;
        } finally {
            pool.shutdownNow();
        }
    }
}
