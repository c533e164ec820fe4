package io.valerix.core.idempotency;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariDataSource;
import io.valerix.core.http.JsonServer;
import io.valerix.core.http.Request;
import io.valerix.core.http.Response;
import io.valerix.core.jdbc.DeadlineBoundDataSource;
import io.valerix.core.jdbc.H2Database;
import io.valerix.core.jdbc.SchemaMigrations;
import io.valerix.core.journal.ChangeJournal;
import io.valerix.core.testing.RawHttp;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The toolkit's joined claim, on its own (no order service): a handler claims the key with its
 * first write and stores its answer with its last, and the filter's promises still hold.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class JoinedClaimHttpTest {

    @TempDir
    Path dir;

    private HikariDataSource db;
    private JsonServer server;
    private final CountDownLatch secondChecked = new CountDownLatch(1);
    private final CountDownLatch firstClaimed = new CountDownLatch(1);

    @BeforeEach
    void start() {
        db = H2Database.open(dir, "joined", 8);
        SchemaMigrations.migrate(db, IdempotencyStore.SCHEMA);
        EffectService.createEffectTable(db);
        DeadlineBoundDataSource database = DeadlineBoundDataSource.of(db);
        IdempotencyFilter filter = IdempotencyFilter.of(
                IdempotencyStore.of(database, ChangeJournal.off()),
                IdempotencyConfig.builder()
                        .routes("POST /things")
                        .claimWithFirstWrite(true)
                        .build());
        server = JsonServer.builder()
                .filter(filter)
                .route("POST", "/things", this::handle)
                .build()
                .start();
    }

    @AfterEach
    void stop() {
        server.close();
        db.close();
    }

    /** Records one effect with the claim, answers with the stored answer in the same commit. */
    private Response handle(Request request) throws SQLException {
        KeyClaim claim = IdempotencyFilter.claimOf(request).orElseThrow();
        String role = request.header("X-Role").orElse("");
        if (role.equals("second")) {
            secondChecked.countDown();
            await(firstClaimed);
        }
        if (role.equals("first")) {
            await(secondChecked);
        }
        long effect = claim.claim(request.deadline(), c -> insertEffect(c, "thing"));
        if (role.equals("first")) {
            firstClaimed.countDown();
        }
        return claim.complete(request.deadline(), c -> Response.json(201, Map.of("effect", effect)));
    }

    @Test
    void theFirstRequestClaimsWithItsWriteAndARetryIsReplayed() {
        RawHttp.Reply first = RawHttp.post(server.uri(), "/things", "{\"n\":1}", "Idempotency-Key", "k-1");
        RawHttp.Reply retry = RawHttp.post(server.uri(), "/things", "{\"n\":1}", "Idempotency-Key", "k-1");

        assertThat(first.status()).isEqualTo(201);
        assertThat(retry.status()).isEqualTo(201);
        assertThat(retry.replayed()).isTrue();
        assertThat(retry.body()).isEqualTo(first.body());
        assertThat(EffectService.runs(db, "thing")).isEqualTo(1);
    }

    @Test
    void aReusedKeyWithAnotherBodyIs422AndWritesNothing() {
        RawHttp.post(server.uri(), "/things", "{\"n\":1}", "Idempotency-Key", "k-2");

        RawHttp.Reply reused = RawHttp.post(server.uri(), "/things", "{\"n\":2}", "Idempotency-Key", "k-2");

        assertThat(reused.status()).isEqualTo(422);
        assertThat(reused.problemType()).isEqualTo("urn:valerix:problem:idempotency-key-reused");
        assertThat(EffectService.runs(db, "thing")).isEqualTo(1);
    }

    @Test
    void aConcurrentRequestThatLosesTheClaimIsAnsweredAsARetryAndItsWriteIsRolledBack() throws Exception {
        // Given two requests with one key that both pass the filter's check before either claims
        // (own threads: the common pool may have a single one on a 2-core machine)
        ExecutorService clients = Executors.newFixedThreadPool(2);
        CompletableFuture<RawHttp.Reply> first = CompletableFuture.supplyAsync(
                () -> RawHttp.post(server.uri(), "/things", "{\"n\":3}", "Idempotency-Key", "k-3", "X-Role", "first"),
                clients);
        CompletableFuture<RawHttp.Reply> second = CompletableFuture.supplyAsync(
                () -> RawHttp.post(server.uri(), "/things", "{\"n\":3}", "Idempotency-Key", "k-3", "X-Role", "second"),
                clients);

        // When the first claims, then the second tries to
        RawHttp.Reply winner = first.get(30, TimeUnit.SECONDS);
        RawHttp.Reply loser = second.get(30, TimeUnit.SECONDS);
        clients.shutdown();

        // Then one effect was written, and the loser got the winner's answer replayed (or a 409)
        assertThat(winner.status()).isEqualTo(201);
        assertThat(EffectService.runs(db, "thing")).isEqualTo(1);
        if (loser.status() == 409) {
            assertThat(loser.problemType()).isEqualTo("urn:valerix:problem:idempotency-request-in-progress");
        } else {
            assertThat(loser.status()).isEqualTo(201);
            assertThat(loser.replayed()).isTrue();
            assertThat(loser.body()).isEqualTo(winner.body());
        }
    }

    @Test
    void aJoinedClaimNeedsAJdbcStore() {
        assertThatThrownBy(() -> IdempotencyFilter.of(
                        IdempotencyStore.inMemory(),
                        IdempotencyConfig.builder().claimWithFirstWrite(true).build()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("claimWithFirstWrite needs a JDBC store");
    }

    private static long insertEffect(Connection c, String orderId) throws SQLException {
        try (PreparedStatement insert =
                c.prepareStatement("INSERT INTO test_effect (order_id, quantity) VALUES (?, 1)")) {
            insert.setString(1, orderId);
            insert.executeUpdate();
        }
        return 1;
    }

    private static void await(CountDownLatch latch) {
        try {
            if (!latch.await(20, TimeUnit.SECONDS)) {
                throw new IllegalStateException("timed out waiting for the other request");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
