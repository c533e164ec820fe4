package io.valerix.core.idempotency;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariDataSource;
import io.valerix.core.http.JsonServer;
import io.valerix.core.http.Request;
import io.valerix.core.http.Response;
import io.valerix.core.jdbc.DeadlineBoundDataSource;
import io.valerix.core.jdbc.JoinableWrite;
import io.valerix.core.jdbc.SchemaMigrations;
import io.valerix.core.journal.ChangeJournal;
import io.valerix.core.testing.DatabaseEngine;
import io.valerix.core.testing.RawHttp;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
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
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The toolkit's joined claim, on its own (no order service), on both engines: a handler claims the
 * key with its first write and stores its answer with its last, and the filter's promises still
 * hold. {@code POST /things} passes its writes as JDBC work; {@code POST /joined} passes each as a
 * {@link JoinableWrite}, one statement with the claim or the answer on PostgreSQL, a transaction on
 * H2, and on both the two commit together or not at all.
 */
@ParameterizedClass
@EnumSource(DatabaseEngine.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class JoinedClaimHttpTest {

    @Parameter
    DatabaseEngine engine;

    @TempDir
    Path dir;

    private HikariDataSource db;
    private JsonServer server;
    private final CountDownLatch secondChecked = new CountDownLatch(1);
    private final CountDownLatch firstClaimed = new CountDownLatch(1);

    @BeforeEach
    void start() throws SQLException {
        db = engine.create(dir, "joined").open(8);
        SchemaMigrations.migrate(db, IdempotencyStore.SCHEMA);
        EffectService.createEffectTable(db);
        try (Connection c = db.getConnection();
                Statement s = c.createStatement()) {
            s.execute("CREATE TABLE thing (thing_id VARCHAR(64) PRIMARY KEY, state VARCHAR(16) NOT NULL)");
        }
        DeadlineBoundDataSource database = DeadlineBoundDataSource.of(db);
        IdempotencyFilter filter = IdempotencyFilter.of(
                IdempotencyStore.of(database, ChangeJournal.off()),
                IdempotencyConfig.builder()
                        .routes("POST /things", "POST /joined")
                        .claimWithFirstWrite(true)
                        .build());
        server = JsonServer.builder()
                .filter(filter)
                .route("POST", "/things", this::handle)
                .route("POST", "/joined", this::handleJoinable)
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

    /**
     * Inserts thing {@code id} (suffixed with the X-Role header, so that two requests with one key
     * insert two distinct rows) as NEW with the claim, then moves it to DONE with the answer. With
     * X-Moved-Elsewhere, another writer moves it first, so the joined answer writes nothing and the
     * handler completes as before, answering what it reads.
     */
    private Response handleJoinable(Request request) throws SQLException {
        KeyClaim claim = IdempotencyFilter.claimOf(request).orElseThrow();
        String role = request.header("X-Role").orElse("");
        String id = request.bodyAs(Map.class).get("id") + role;
        if (role.equals("second")) {
            secondChecked.countDown();
            await(firstClaimed);
        }
        if (role.equals("first")) {
            await(secondChecked);
        }
        boolean created = claim.claim(
                request.deadline(),
                JoinableWrite.of(
                        "INSERT INTO thing (thing_id, state) VALUES (?, 'NEW') ON CONFLICT DO NOTHING", (s, first) -> {
                            s.setString(first, id);
                            return first + 1;
                        }));
        if (role.equals("first")) {
            firstClaimed.countDown();
        }
        if (request.header("X-Moved-Elsewhere").isPresent()) {
            setState(id, "ELSEWHERE");
        }
        Optional<Response> joined = claim.completeIfWritten(
                request.deadline(),
                JoinableWrite.of("UPDATE thing SET state = 'DONE' WHERE thing_id = ? AND state = 'NEW'", (s, first) -> {
                    s.setString(first, id);
                    return first + 1;
                }),
                Response.json(201, answer(created, "DONE", true)));
        if (joined.isPresent()) {
            return joined.get();
        }
        return claim.complete(request.deadline(), c -> Response.json(200, answer(created, state(c, id), false)));
    }

    @Test
    void aClaimAndItsInsertThenTheAnswerAndItsUpdateCommitTogetherAndARetryIsReplayed() throws SQLException {
        RawHttp.Reply first = RawHttp.post(server.uri(), "/joined", "{\"id\":\"t-1\"}", "Idempotency-Key", "k-1");
        RawHttp.Reply retry = RawHttp.post(server.uri(), "/joined", "{\"id\":\"t-1\"}", "Idempotency-Key", "k-1");

        assertThat(first.status()).as("%s", first).isEqualTo(201);
        assertThat(first.json().path("created").asBoolean()).isTrue();
        assertThat(first.json().path("joined").asBoolean()).isTrue();
        assertThat(state("t-1")).isEqualTo("DONE");
        assertThat(retry.status()).isEqualTo(201);
        assertThat(retry.replayed()).isTrue();
        assertThat(retry.body()).isEqualTo(first.body());
    }

    @Test
    void aClaimSaysWhenItsInsertFoundTheRowTakenAndLeavesThatRowAlone() throws SQLException {
        // Given the thing exists already, DONE, written by someone else
        insert("t-2", "DONE");

        // When a request with a new key claims with the insert of that thing
        RawHttp.Reply reply = RawHttp.post(server.uri(), "/joined", "{\"id\":\"t-2\"}", "Idempotency-Key", "k-2");

        // Then the claim held, the insert changed nothing, and the answer came from what was read
        assertThat(reply.status()).as("%s", reply).isEqualTo(200);
        assertThat(reply.json().path("created").asBoolean()).isFalse();
        assertThat(reply.json().path("joined").asBoolean()).isFalse();
        assertThat(reply.json().path("state").asText()).isEqualTo("DONE");
        assertThat(countThings("t-2")).isEqualTo(1);
    }

    @Test
    void anAnswerWhoseUpdateChangesNothingIsNotStoredWithItAndTheHandlerCompletesWithWhatItReads() throws SQLException {
        // When another writer moves the thing between the claim and the joined answer
        RawHttp.Reply reply = RawHttp.post(
                server.uri(), "/joined", "{\"id\":\"t-3\"}", "Idempotency-Key", "k-3", "X-Moved-Elsewhere", "yes");
        RawHttp.Reply retry = RawHttp.post(server.uri(), "/joined", "{\"id\":\"t-3\"}", "Idempotency-Key", "k-3");

        // Then the joined update wrote nothing (the other writer's state stands), and the stored
        // answer is the one the handler gave after reading
        assertThat(reply.status()).as("%s", reply).isEqualTo(200);
        assertThat(reply.json().path("joined").asBoolean()).isFalse();
        assertThat(reply.json().path("state").asText()).isEqualTo("ELSEWHERE");
        assertThat(state("t-3")).isEqualTo("ELSEWHERE");
        assertThat(retry.replayed()).isTrue();
        assertThat(retry.body()).isEqualTo(reply.body());
    }

    @Test
    void aRequestThatLosesTheJoinedClaimToAConcurrentOneWritesNothing() throws Exception {
        // Given two requests with one key, both past the filter (a first try reads nothing) before either claims
        ExecutorService clients = Executors.newFixedThreadPool(2);
        CompletableFuture<RawHttp.Reply> first = CompletableFuture.supplyAsync(
                () -> RawHttp.post(
                        server.uri(), "/joined", "{\"id\":\"t-4\"}", "Idempotency-Key", "k-4", "X-Role", "first"),
                clients);
        CompletableFuture<RawHttp.Reply> second = CompletableFuture.supplyAsync(
                () -> RawHttp.post(
                        server.uri(), "/joined", "{\"id\":\"t-4\"}", "Idempotency-Key", "k-4", "X-Role", "second"),
                clients);

        // When the first claims, and then the second tries to
        RawHttp.Reply winner = first.get(30, TimeUnit.SECONDS);
        RawHttp.Reply loser = second.get(30, TimeUnit.SECONDS);
        clients.shutdown();

        // Then only the winner's insert committed: the loser's, joined with its lost claim, did not
        assertThat(winner.status()).as("%s", winner).isEqualTo(201);
        assertThat(countThings("t-4first")).isEqualTo(1);
        assertThat(countThings("t-4second")).isZero();
        if (loser.status() == 409) {
            assertThat(loser.problemType()).isEqualTo("urn:valerix:problem:idempotency-request-in-progress");
        } else {
            assertThat(loser.status()).as("%s", loser).isEqualTo(201);
            assertThat(loser.replayed()).isTrue();
            assertThat(loser.body()).isEqualTo(winner.body());
        }
    }

    private static Map<String, Object> answer(boolean created, String state, boolean joined) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("created", created);
        body.put("state", state);
        body.put("joined", joined);
        return body;
    }

    private static String state(Connection c, String id) throws SQLException {
        try (PreparedStatement query = c.prepareStatement("SELECT state FROM thing WHERE thing_id = ?")) {
            query.setString(1, id);
            try (ResultSet row = query.executeQuery()) {
                return row.next() ? row.getString(1) : "MISSING";
            }
        }
    }

    private String state(String id) throws SQLException {
        try (Connection c = db.getConnection()) {
            return state(c, id);
        }
    }

    private void setState(String id, String state) throws SQLException {
        execute("UPDATE thing SET state = ? WHERE thing_id = ?", state, id);
    }

    private void insert(String id, String state) throws SQLException {
        execute("INSERT INTO thing (state, thing_id) VALUES (?, ?)", state, id);
    }

    private void execute(String sql, String... parameters) throws SQLException {
        try (Connection c = db.getConnection();
                PreparedStatement statement = c.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                statement.setString(i + 1, parameters[i]);
            }
            statement.executeUpdate();
        }
    }

    private int countThings(String id) throws SQLException {
        try (Connection c = db.getConnection();
                PreparedStatement query = c.prepareStatement("SELECT COUNT(*) FROM thing WHERE thing_id = ?")) {
            query.setString(1, id);
            try (ResultSet row = query.executeQuery()) {
                row.next();
                return row.getInt(1);
            }
        }
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
