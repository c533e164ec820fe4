package io.valerix.core.gremlin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.valerix.core.deadline.Deadline;
import io.valerix.core.deadline.DeadlineExceededException;
import io.valerix.core.http.BearerTokenFilter;
import io.valerix.core.http.JsonClient;
import io.valerix.core.http.JsonRequest;
import io.valerix.core.http.JsonServer;
import io.valerix.core.http.RemoteProblemException;
import io.valerix.core.http.Response;
import io.valerix.core.http.TransportException;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The gremlin in front of a real server on a real port. */
class GremlinFilterTest {

    private static final String TOKEN = "test-admin-token-0123456789";

    private final AtomicInteger sideEffects = new AtomicInteger();
    private Gremlin gremlin;
    private JsonServer server;
    private JsonClient client;

    private void start(String spec) {
        gremlin = Gremlin.builder(7).spec(GremlinSpec.parse(spec)).build();
        JsonServer.Builder builder = JsonServer.builder()
                .drainTimeout(Duration.ZERO)
                .filter(BearerTokenFilter.admin(TOKEN))
                .filter(GremlinFilter.of(gremlin))
                .route("PUT", "/work/{id}", r -> Response.json(200, Map.of("done", sideEffects.incrementAndGet())))
                .route("GET", "/health", r -> Response.json(200, Map.of("status", "UP")));
        GremlinAdmin.install(builder, gremlin, TOKEN);
        server = builder.build().start();
        client = JsonClient.builder(server.uri()).build();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void afterPhaseCommitsTheWorkButTheCallerTimesOutWaitingForTheAnswer() {
        start("fixed(3s) after");

        assertThatThrownBy(() -> client.send(
                        JsonRequest.put(Map.of(), "/work/{id}", "1"),
                        Map.class,
                        Deadline.after(Duration.ofMillis(1000))))
                .isInstanceOf(DeadlineExceededException.class);

        // The handler ran before the delay: the client's outcome is uncertain, not failed.
        assertThat(sideEffects).hasValue(1);
    }

    @Test
    void beforePhaseDelayLetsAnExpiredRequestDoNothing() {
        start("fixed(400ms) before");

        assertThatThrownBy(() -> client.send(
                        JsonRequest.put(Map.of(), "/work/{id}", "1"),
                        Map.class,
                        Deadline.after(Duration.ofMillis(200))))
                .isInstanceOf(DeadlineExceededException.class);

        // The request arrived with a 200 ms budget and waited 400 ms in the gremlin: refused unrun.
        org.awaitility.Awaitility.await()
                .during(Duration.ofMillis(400))
                .atMost(Duration.ofSeconds(10))
                .until(() -> sideEffects.get() == 0);
    }

    @Test
    void resetGivesTheClientAnIoErrorAndTheServerKeepsServingOthers() {
        start("reset route=\"PUT /work/1\"");

        assertThatThrownBy(() -> client.send(
                        JsonRequest.put(Map.of(), "/work/{id}", "1"), Map.class, Deadline.after(Duration.ofSeconds(2))))
                .isInstanceOf(TransportException.class)
                .hasCauseInstanceOf(IOException.class);
        assertThat(client.send(
                                JsonRequest.put(Map.of(), "/work/{id}", "2"),
                                Map.class,
                                Deadline.after(Duration.ofSeconds(2)))
                        .status())
                .isEqualTo(200);
    }

    @Test
    void injectedErrorIsAProblemWithTheStatusAndTheHandlerDoesNotRun() {
        start("error(503)");

        assertThatThrownBy(() -> client.send(
                        JsonRequest.put(Map.of(), "/work/{id}", "1"), Map.class, Deadline.after(Duration.ofSeconds(2))))
                .isInstanceOfSatisfying(RemoteProblemException.class, e -> {
                    assertThat(e.status()).isEqualTo(503);
                    assertThat(e.type()).hasToString("urn:valerix:problem:gremlin-injected");
                });
        assertThat(sideEffects).hasValue(0);
    }

    @Test
    void noResponseHoldsUntilTheCallerGivesUp() {
        start("noresponse(10s)");
        long start = System.nanoTime();

        assertThatThrownBy(() -> client.send(
                        JsonRequest.put(Map.of(), "/work/{id}", "1"),
                        Map.class,
                        Deadline.after(Duration.ofMillis(300))))
                .isInstanceOf(DeadlineExceededException.class);
        // The caller's 300 ms, not the gremlin's 10 s (with room for a loaded machine to schedule it).
        assertThat(Duration.ofNanos(System.nanoTime() - start))
                .isGreaterThanOrEqualTo(Duration.ofMillis(300))
                .isLessThan(Duration.ofSeconds(5));
    }

    @Test
    void slowBodyStillDeliversTheWholeBodyButLate() {
        start("slowbody(500ms)");
        long start = System.nanoTime();

        Map<?, ?> body = client.send(
                        JsonRequest.put(Map.of(), "/work/{id}", "1"), Map.class, Deadline.after(Duration.ofSeconds(3)))
                .body();
        Object done = body.get("done");

        assertThat(done).isEqualTo(1);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(450));
    }

    @Test
    void operatorRoutesAreExemptFromTheGremlin() {
        start("error(500)");

        assertThat(client.send(JsonRequest.get("/health"), Map.class, Deadline.after(Duration.ofSeconds(2)))
                        .status())
                .isEqualTo(200);
    }

    @Test
    void adminNeedsTheBearerToken() throws IOException {
        start("none");

        assertThat(admin("GET", null, null, null).code()).isEqualTo(401);
        assertThat(admin("GET", "wrong-token-0123456789", null, null).code()).isEqualTo(403);
        try (okhttp3.Response ok = admin("GET", TOKEN, null, null)) {
            assertThat(ok.code()).isEqualTo(200);
            assertThat(ok.body().string()).contains("\"seed\":7", "\"spec\":\"none\"");
        }
    }

    @Test
    void badSpecIs400SayingWhatAndWhereAndChangesNothing() throws IOException {
        start("none");

        try (okhttp3.Response bad = admin("PUT", TOKEN, "application/json", "{\"spec\":\"unifrom(0ms,5s)\"}")) {
            assertThat(bad.code()).isEqualTo(400);
            assertThat(bad.body().string()).contains("urn:valerix:problem:invalid-gremlin-spec", "unifrom", "offset 0");
        }
        assertThat(gremlin.spec()).isEqualTo(GremlinSpec.none());
    }

    @Test
    void validPutChangesTheNextRequest() throws IOException {
        start("none");
        assertThat(client.send(
                                JsonRequest.put(Map.of(), "/work/{id}", "1"),
                                Map.class,
                                Deadline.after(Duration.ofSeconds(2)))
                        .status())
                .isEqualTo(200);

        try (okhttp3.Response ok = admin("PUT", TOKEN, "text/plain", "error(418) route=\"PUT /work/*\"")) {
            assertThat(ok.code()).isEqualTo(200);
        }

        assertThatThrownBy(() -> client.send(
                        JsonRequest.put(Map.of(), "/work/{id}", "2"), Map.class, Deadline.after(Duration.ofSeconds(2))))
                .isInstanceOfSatisfying(
                        RemoteProblemException.class,
                        e -> assertThat(e.status()).isEqualTo(418));

        try (okhttp3.Response json =
                admin("PUT", TOKEN, "application/json", "{\"rules\":[{\"action\":{\"type\":\"none\"}}]}")) {
            assertThat(json.code()).as(json.peekBody(1000).string()).isEqualTo(200);
        }
        assertThat(client.send(
                                JsonRequest.put(Map.of(), "/work/{id}", "3"),
                                Map.class,
                                Deadline.after(Duration.ofSeconds(2)))
                        .status())
                .isEqualTo(200);
    }

    @Test
    void adminRoutesRefuseAnUnauthenticatedPutEvenOnAServerWithoutATokenFilter() throws IOException {
        // Regression: install(...) used to add bare routes, so a server without a token filter let
        // anyone replace the spec.
        gremlin = Gremlin.builder(7).build();
        JsonServer.Builder builder = JsonServer.builder()
                .drainTimeout(Duration.ZERO)
                .filter(GremlinFilter.of(gremlin))
                .route("PUT", "/work/{id}", r -> Response.json(200, Map.of("done", sideEffects.incrementAndGet())));
        GremlinAdmin.install(builder, gremlin, TOKEN);
        server = builder.build().start();

        try (okhttp3.Response anonymous = admin("PUT", null, "text/plain", "error(503)");
                okhttp3.Response wrong = admin("PUT", "wrong-token-0123456789", "text/plain", "error(503)")) {
            assertThat(anonymous.code()).isEqualTo(401);
            assertThat(anonymous.header("Content-Type")).startsWith("application/problem+json");
            assertThat(wrong.code()).isEqualTo(403);
        }
        assertThat(gremlin.spec().injectsNothing()).isTrue();
        try (okhttp3.Response ok = admin("PUT", TOKEN, "text/plain", "error(503)")) {
            assertThat(ok.code()).isEqualTo(200);
        }
        assertThat(gremlin.spec().toText()).contains("error(503)");
    }

    private okhttp3.Response admin(String method, String token, String contentType, String body) throws IOException {
        Request.Builder request = new Request.Builder()
                .url(server.uri() + "/admin/gremlin")
                .method(method, body == null ? null : RequestBody.create(body, MediaType.get(contentType)));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return new OkHttpClient().newCall(request.build()).execute();
    }
}
