package io.valerix.core.idempotency;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import io.valerix.core.http.Handler;
import io.valerix.core.http.JsonServer;
import io.valerix.core.http.ProblemType;
import io.valerix.core.http.Response;
import io.valerix.core.jdbc.H2Database;
import io.valerix.core.testing.ManualWallClock;
import io.valerix.core.testing.RawHttp;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The filter's rules, each seen by a client of a real server over a real H2 file database. */
class IdempotencyFilterTest {

    private static final String ORDER = "{\"orderId\":\"o-1\",\"sku\":\"apple\",\"quantity\":2}";

    @TempDir
    Path dir;

    private HikariDataSource db;
    private EffectService service;
    private final ManualWallClock clock = new ManualWallClock(Instant.parse("2030-01-01T00:00:00Z"));

    @BeforeEach
    void openDatabase() {
        db = H2Database.open(dir, "orders", 8);
    }

    @AfterEach
    void stop() {
        if (service != null) {
            service.close();
        }
        db.close();
    }

    private EffectService start(IdempotencyConfig.Builder config, Handler orders) {
        service = EffectService.start(db, config.clock(clock).build(), orders);
        return service;
    }

    private EffectService startPlacingOrders(IdempotencyConfig.Builder config) {
        return start(config, r -> EffectService.placeOrder(db, r));
    }

    private EffectService startPlacingOrders() {
        return startPlacingOrders(IdempotencyConfig.builder().routes("POST /orders"));
    }

    @Test
    void aRetryGetsTheFirstAnswerReplayedAndTheHandlerRunsOnce() {
        startPlacingOrders();

        RawHttp.Reply first = service.post(ORDER, "Idempotency-Key", "k-1");
        RawHttp.Reply retry = service.post(ORDER, "Idempotency-Key", "k-1");

        assertThat(first.status()).isEqualTo(201);
        assertThat(first.replayed()).isFalse();
        assertThat(retry.status()).isEqualTo(201);
        assertThat(retry.replayed()).isTrue();
        assertThat(retry.body()).isEqualTo(first.body());
        assertThat(retry.header("Location")).isEqualTo("/orders/o-1");
        assertThat(retry.header("Content-Type")).isEqualTo("application/json");
        assertThat(service.runs("o-1")).isEqualTo(1);
    }

    @Test
    void reorderedJsonFieldsAreTheSameRequestAndGetTheReplay() {
        startPlacingOrders();

        RawHttp.Reply first = service.post(ORDER, "Idempotency-Key", "k-1");
        RawHttp.Reply reordered =
                service.post("{ \"quantity\": 2, \"sku\": \"apple\", \"orderId\": \"o-1\" }", "Idempotency-Key", "k-1");

        assertThat(reordered.status()).isEqualTo(201);
        assertThat(reordered.replayed()).isTrue();
        assertThat(reordered.body()).isEqualTo(first.body());
        assertThat(service.runs("o-1")).isEqualTo(1);
    }

    @Test
    void oneAndOnePointZeroAreTheSameQuantity() {
        startPlacingOrders();

        service.post("{\"orderId\":\"o-1\",\"sku\":\"apple\",\"quantity\":1}", "Idempotency-Key", "k-1");
        RawHttp.Reply retry =
                service.post("{\"orderId\":\"o-1\",\"sku\":\"apple\",\"quantity\":1.0}", "Idempotency-Key", "k-1");

        assertThat(retry.status()).isEqualTo(201);
        assertThat(retry.replayed()).isTrue();
        assertThat(service.runs("o-1")).isEqualTo(1);
    }

    @Test
    void theSameKeyWithADifferentQuantityIs422AndRunsNothing() {
        startPlacingOrders();

        service.post(ORDER, "Idempotency-Key", "k-1");
        RawHttp.Reply reused =
                service.post("{\"orderId\":\"o-1\",\"sku\":\"apple\",\"quantity\":3}", "Idempotency-Key", "k-1");

        assertThat(reused.status()).isEqualTo(422);
        assertThat(reused.header("Content-Type")).isEqualTo("application/problem+json");
        assertThat(reused.problemType()).isEqualTo("urn:valerix:problem:idempotency-key-reused");
        assertThat(service.runs("o-1")).isEqualTo(1);
    }

    @Test
    void theOrderIdInTheBodyIsTheKeyWhenThereIsNoHeader() {
        startPlacingOrders(
                IdempotencyConfig.builder().routes("POST /orders").fallbackKey(KeyExtractor.bodyField("orderId")));

        RawHttp.Reply first = service.post(ORDER);
        RawHttp.Reply retry = service.post(ORDER);
        RawHttp.Reply changed = service.post("{\"orderId\":\"o-1\",\"sku\":\"pear\",\"quantity\":2}");

        assertThat(first.status()).isEqualTo(201);
        assertThat(retry.replayed()).isTrue();
        assertThat(changed.status()).isEqualTo(422);
        assertThat(service.runs("o-1")).isEqualTo(1);
    }

    @Test
    void neitherHeaderNorBodyKeyIs400AndRunsNothing() {
        startPlacingOrders(
                IdempotencyConfig.builder().routes("POST /orders").fallbackKey(KeyExtractor.bodyField("orderId")));

        RawHttp.Reply reply = service.post("{\"sku\":\"apple\",\"quantity\":2}");

        assertThat(reply.status()).isEqualTo(400);
        assertThat(reply.problemType()).isEqualTo("urn:valerix:problem:idempotency-key-missing");
        assertThat(service.totalRuns()).isZero();
    }

    @Test
    void aKeyOf256CharactersIs400AndOneOf255Works() {
        startPlacingOrders();

        RawHttp.Reply tooLong = service.post(ORDER, "Idempotency-Key", "k".repeat(256));
        RawHttp.Reply longest = service.post(ORDER, "Idempotency-Key", "k".repeat(255));

        assertThat(tooLong.status()).isEqualTo(400);
        assertThat(tooLong.problemType()).isEqualTo("urn:valerix:problem:invalid-idempotency-key");
        assertThat(longest.status()).isEqualTo(201);
        assertThat(service.runs("o-1")).isEqualTo(1);
    }

    @Test
    void aStructuredFieldStringKeyIsTheSameKeyAsItsBareSpelling() {
        startPlacingOrders();

        RawHttp.Reply quoted = service.post(ORDER, "Idempotency-Key", "\"8e03978e-40d5-43e8-bc93-6894a57f9324\"");
        RawHttp.Reply bare = service.post(ORDER, "Idempotency-Key", "8e03978e-40d5-43e8-bc93-6894a57f9324");

        assertThat(quoted.status()).isEqualTo(201);
        assertThat(bare.replayed()).isTrue();
        assertThat(service.runs("o-1")).isEqualTo(1);
    }

    @Test
    void theHandlerSeesTheParsedKeySoTwoSpellingsOfOneKeyReachItAsOne() {
        List<String> seen = new CopyOnWriteArrayList<>();
        start(IdempotencyConfig.builder(), r -> {
            seen.add(IdempotencyFilter.keyOf(r).orElseThrow());
            return Response.json(202, Map.of("status", "PENDING"));
        });

        service.post(ORDER, "Idempotency-Key", "\"abc\"");
        service.post(ORDER, "Idempotency-Key", "abc");

        assertThat(seen).containsExactly("abc", "abc");
    }

    @Test
    void aValidationErrorIsNotStoredSoTheCorrectedRequestSucceedsWithTheSameKey() {
        startPlacingOrders();

        RawHttp.Reply invalid =
                service.post("{\"orderId\":\"o-1\",\"sku\":\"apple\",\"quantity\":0}", "Idempotency-Key", "k-1");
        RawHttp.Reply corrected = service.post(ORDER, "Idempotency-Key", "k-1");

        assertThat(invalid.status()).isEqualTo(400);
        assertThat(invalid.problemType()).isEqualTo("urn:valerix:problem:invalid-request");
        assertThat(corrected.status()).isEqualTo(201);
        assertThat(corrected.replayed()).isFalse();
        assertThat(service.runs("o-1")).isEqualTo(1);
    }

    @Test
    void aServerErrorIsNotStoredSoARetryRunsTheHandlerAgain() {
        AtomicInteger calls = new AtomicInteger();
        start(IdempotencyConfig.builder(), r -> {
            if (calls.incrementAndGet() == 1) {
                throw new IllegalStateException("inventory unreachable");
            }
            return EffectService.placeOrder(db, r);
        });

        RawHttp.Reply failed = service.post(ORDER, "Idempotency-Key", "k-1");
        RawHttp.Reply retried = service.post(ORDER, "Idempotency-Key", "k-1");

        assertThat(failed.status()).isEqualTo(500);
        assertThat(retried.status()).isEqualTo(201);
        assertThat(retried.replayed()).isFalse();
        assertThat(calls).hasValue(2);
    }

    @Test
    void aPendingAnswerIsNotFinalSoARetryGetsTheCurrentStateNeverAStaleOne() {
        AtomicInteger calls = new AtomicInteger();
        start(IdempotencyConfig.builder(), r -> {
            // Like the order service: the first attempt times out on inventory (PENDING, 202); the
            // reconciler settles the order; a retry asks again and gets the current state.
            EffectService.OrderCommand command = r.bodyAs(EffectService.OrderCommand.class);
            return calls.incrementAndGet() == 1
                    ? Response.json(202, Map.of("orderId", command.orderId(), "status", "PENDING"))
                    : Response.json(201, Map.of("orderId", command.orderId(), "status", "CONFIRMED"));
        });

        RawHttp.Reply pending = service.post(ORDER, "Idempotency-Key", "k-1");
        RawHttp.Reply current = service.post(ORDER, "Idempotency-Key", "k-1");
        RawHttp.Reply replay = service.post(ORDER, "Idempotency-Key", "k-1");

        assertThat(pending.status()).isEqualTo(202);
        assertThat(pending.json().path("status").asText()).isEqualTo("PENDING");
        assertThat(current.status()).isEqualTo(201);
        assertThat(current.json().path("status").asText()).isEqualTo("CONFIRMED");
        assertThat(current.replayed()).isFalse();
        assertThat(replay.replayed()).isTrue();
        assertThat(replay.body()).isEqualTo(current.body());
        assertThat(calls).hasValue(2);
    }

    @Test
    void whilePendingTheKeyStaysBoundToItsRequest() {
        start(IdempotencyConfig.builder(), r -> Response.json(202, Map.of("status", "PENDING")));

        service.post(ORDER, "Idempotency-Key", "k-1");
        RawHttp.Reply other =
                service.post("{\"orderId\":\"o-1\",\"sku\":\"apple\",\"quantity\":9}", "Idempotency-Key", "k-1");

        assertThat(other.status()).isEqualTo(422);
        assertThat(other.problemType()).isEqualTo("urn:valerix:problem:idempotency-key-reused");
    }

    @Test
    void aFailedRerunOfAPendingRequestLeavesItPendingNotForgotten() {
        AtomicInteger calls = new AtomicInteger();
        start(IdempotencyConfig.builder(), r -> switch (calls.incrementAndGet()) {
            case 1 -> Response.json(202, Map.of("status", "PENDING"));
            case 2 -> throw ProblemType.DEADLINE_EXCEEDED.exception("inventory did not answer in time");
            default -> Response.json(201, Map.of("status", "CONFIRMED"));
        });

        service.post(ORDER, "Idempotency-Key", "k-1");
        RawHttp.Reply timedOut = service.post(ORDER, "Idempotency-Key", "k-1");
        RawHttp.Reply reused =
                service.post("{\"orderId\":\"o-1\",\"sku\":\"pear\",\"quantity\":2}", "Idempotency-Key", "k-1");
        RawHttp.Reply settled = service.post(ORDER, "Idempotency-Key", "k-1");

        assertThat(timedOut.status()).isEqualTo(504);
        assertThat(reused.status()).isEqualTo(422);
        assertThat(settled.status()).isEqualTo(201);
        assertThat(service.store.find("POST /orders", "k-1"))
                .map(IdempotencyRecord::state)
                .contains(IdempotencyRecord.State.COMPLETED);
    }

    @Test
    void aHandlerCanKeepAFinal409AndMarkA200AsNotFinal() {
        AtomicInteger calls = new AtomicInteger();
        start(IdempotencyConfig.builder(), r -> {
            calls.incrementAndGet();
            if (r.path().equals("/orders")
                    && r.bodyAs(EffectService.OrderCommand.class).sku().equals("gone")) {
                IdempotencyFilter.replayMode(r, ReplayMode.REPLAY);
                return Response.json(409, Map.of("status", "OUT_OF_STOCK"));
            }
            IdempotencyFilter.replayMode(r, ReplayMode.RERUN);
            return Response.json(200, Map.of("status", "PENDING"));
        });

        service.post("{\"orderId\":\"o-1\",\"sku\":\"gone\",\"quantity\":1}", "Idempotency-Key", "k-gone");
        RawHttp.Reply outOfStock =
                service.post("{\"orderId\":\"o-1\",\"sku\":\"gone\",\"quantity\":1}", "Idempotency-Key", "k-gone");
        service.post(ORDER, "Idempotency-Key", "k-open");
        RawHttp.Reply open = service.post(ORDER, "Idempotency-Key", "k-open");

        assertThat(outOfStock.status()).isEqualTo(409);
        assertThat(outOfStock.replayed()).isTrue();
        assertThat(open.replayed()).isFalse();
        assertThat(calls).hasValue(3);
    }

    @Test
    void anAnswerTooLargeToStoreIsNotReplayedButRunAgain() {
        AtomicInteger calls = new AtomicInteger();
        start(IdempotencyConfig.builder().maxStoredBodyBytes(100), r -> {
            calls.incrementAndGet();
            return Response.json(201, Map.of("blob", "x".repeat(200)));
        });

        RawHttp.Reply first = service.post(ORDER, "Idempotency-Key", "k-1");
        RawHttp.Reply retry = service.post(ORDER, "Idempotency-Key", "k-1");

        assertThat(first.status()).isEqualTo(201);
        assertThat(retry.status()).isEqualTo(201);
        assertThat(retry.replayed()).isFalse();
        assertThat(calls).hasValue(2);
    }

    @Test
    void routesTheFilterDoesNotGuardNeedNoKeyAndHaveNone() {
        List<Boolean> keyed = new CopyOnWriteArrayList<>();
        start(IdempotencyConfig.builder().routes("POST /payments"), r -> {
            keyed.add(IdempotencyFilter.keyOf(r).isPresent());
            return EffectService.placeOrder(db, r);
        });

        RawHttp.Reply unguardedPost = service.post(ORDER);
        RawHttp.Reply read = RawHttp.sendJson(service.uri(), "GET", "/orders/o-1", null);

        assertThat(unguardedPost.status()).isEqualTo(201);
        assertThat(read.status()).isEqualTo(200);
        assertThat(keyed).containsExactly(false);
    }

    @Test
    void keysAreScopedByRouteSoTheSameKeyOnAnotherRouteIsAnotherKey() {
        service = EffectService.start(
                db, IdempotencyConfig.builder().clock(clock).build(), r -> EffectService.placeOrder(db, r));
        try (JsonServer payments = JsonServer.builder()
                .filter(service.filter)
                .route("POST", "/payments", r -> Response.json(201, Map.of("paid", true)))
                .build()
                .start()) {

            RawHttp.Reply order = service.post(ORDER, "Idempotency-Key", "shared");
            RawHttp.Reply payment = RawHttp.post(payments.uri(), "/payments", ORDER, "Idempotency-Key", "shared");

            assertThat(order.status()).isEqualTo(201);
            assertThat(payment.status()).isEqualTo(201);
            assertThat(payment.replayed()).isFalse();
        }
    }

    @Test
    void anUnreachableStoreIs503AndTheHandlerDoesNotRun() throws Exception {
        startPlacingOrders();
        try (Connection c = db.getConnection();
                Statement s = c.createStatement()) {
            s.execute("DROP TABLE idempotency_record");
        }

        RawHttp.Reply reply = service.post(ORDER, "Idempotency-Key", "k-1");

        assertThat(reply.status()).isEqualTo(503);
        assertThat(reply.problemType()).isEqualTo("urn:valerix:problem:idempotency-store-unavailable");
        assertThat(reply.header("Retry-After")).isEqualTo("1");
        assertThat(service.totalRuns()).isZero();
    }
}
