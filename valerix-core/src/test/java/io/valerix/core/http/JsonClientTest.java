package io.valerix.core.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.valerix.core.deadline.Deadline;
import io.valerix.core.deadline.DeadlineExceededException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class JsonClientTest {

    record Item(String sku, int quantity) {}

    private final CountDownLatch neverReleased = new CountDownLatch(1);
    private JsonServer server;

    @BeforeEach
    void start() {
        server = JsonServer.builder()
                .drainTimeout(Duration.ZERO)
                .route("GET", "/slow", r -> {
                    // A handler that takes 5 s to answer.
                    neverReleased.await(5, TimeUnit.SECONDS);
                    return Response.json(200, Map.of("late", true));
                })
                .route("GET", "/items/{sku}", r -> Response.json(200, new Item(r.pathParam("sku"), 3)))
                .route("GET", "/conflict", r -> {
                    throw ProblemType.of("stock-conflict", "Stock conflict", 409)
                            .exception("order o-1 already reserved");
                })
                .route("GET", "/busy", r -> {
                    throw new ProblemException(Problem.of(ProblemType.OVERLOADED, "try later"), "2");
                })
                .route("GET", "/plain", r -> Response.bytes(502, "text/plain", "bad gateway".getBytes()))
                .build()
                .start();
    }

    @AfterEach
    void stop() {
        neverReleased.countDown();
        server.close();
    }

    @Test
    void slowHandlerUnderA200msDeadlineReturnsControlInTimeAndLeavesNothingRunning() {
        OkHttpClient http =
                new OkHttpClient.Builder().retryOnConnectionFailure(false).build();
        List<String> outcomes = new CopyOnWriteArrayList<>();
        JsonClient client = JsonClient.builder(server.uri())
                .okHttpClient(http)
                .callListener((dependency, route, outcome, nanos) -> outcomes.add(outcome))
                .build();
        long start = System.nanoTime();

        assertThatThrownBy(
                        () -> client.send(JsonRequest.get("/slow"), Map.class, Deadline.after(Duration.ofMillis(200))))
                .isInstanceOf(DeadlineExceededException.class)
                .hasMessageContaining("GET /slow");

        // The handler never answers, so any return proves the deadline cut the call; how soon after
        // 200 ms is a speed figure (the benchmarks'), and a loaded machine may take its time.
        long elapsedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertThat(elapsedMillis).isBetween(190L, 2_500L);
        // The call was cancelled, not abandoned: OkHttp counts no running call, and no thread is
        // left reading the socket.
        await().pollDelay(Duration.ZERO)
                .pollInterval(Duration.ofMillis(5))
                .atMost(Duration.ofSeconds(5))
                .until(() -> http.dispatcher().runningCallsCount() == 0);
        assertThat(threadsInsideOkHttp()).isEmpty();
        assertThat(outcomes).containsExactly("timeout");
    }

    @Test
    void successfulReplyIsMappedToTheType() {
        JsonClient client = JsonClient.builder(server.uri()).build();

        JsonResponse<Item> response = client.send(
                JsonRequest.get("/items/{sku}", "a/b c"), Item.class, Deadline.after(Duration.ofSeconds(2)));

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.body()).isEqualTo(new Item("a/b c", 3));
    }

    @Test
    void problemReplyBecomesATypedExceptionKeepingStatusTypeAndDetail() {
        JsonClient client = JsonClient.builder(server.uri()).build();

        assertThatThrownBy(() ->
                        client.send(JsonRequest.get("/conflict"), Void.class, Deadline.after(Duration.ofSeconds(2))))
                .isInstanceOfSatisfying(RemoteProblemException.class, e -> {
                    assertThat(e.status()).isEqualTo(409);
                    assertThat(e.type()).hasToString("urn:valerix:problem:stock-conflict");
                    assertThat(e.detail()).isEqualTo("order o-1 already reserved");
                    assertThat(e.problem().instance()).isEqualTo("/conflict");
                });
        assertThatThrownBy(
                        () -> client.send(JsonRequest.get("/busy"), Void.class, Deadline.after(Duration.ofSeconds(2))))
                .isInstanceOfSatisfying(RemoteProblemException.class, e -> {
                    assertThat(e.is(ProblemType.OVERLOADED)).isTrue();
                    assertThat(e.retryAfter()).isEqualTo("2");
                });
    }

    @Test
    void nonProblemErrorBodyIsKeptAsTheDetail() {
        JsonClient client = JsonClient.builder(server.uri()).build();

        assertThatThrownBy(
                        () -> client.send(JsonRequest.get("/plain"), Void.class, Deadline.after(Duration.ofSeconds(2))))
                .isInstanceOfSatisfying(RemoteProblemException.class, e -> {
                    assertThat(e.status()).isEqualTo(502);
                    assertThat(e.type()).hasToString("about:blank");
                    assertThat(e.detail()).isEqualTo("bad gateway");
                });
    }

    @Test
    void unreachableServerIsATransportException() {
        var uri = server.uri();
        server.close();
        JsonClient client = JsonClient.builder(uri).build();

        assertThatThrownBy(() -> client.send(
                        JsonRequest.get("/items/{sku}", "a"), Item.class, Deadline.after(Duration.ofSeconds(2))))
                .isInstanceOf(TransportException.class);
    }

    @Test
    void expiredDeadlineSendsNothing() {
        List<String> outcomes = new CopyOnWriteArrayList<>();
        JsonClient client = JsonClient.builder(server.uri())
                .callListener((d, r, outcome, n) -> outcomes.add(outcome))
                .build();

        assertThatThrownBy(() ->
                        client.send(JsonRequest.get("/items/{sku}", "a"), Item.class, Deadline.after(Duration.ZERO)))
                .isInstanceOf(DeadlineExceededException.class);
        assertThat(outcomes).containsExactly("timeout");
    }

    private static List<String> threadsInsideOkHttp() {
        return Thread.getAllStackTraces().entrySet().stream()
                .filter(e -> e.getKey() != Thread.currentThread())
                .filter(e -> java.util.Arrays.stream(e.getValue())
                        .anyMatch(f -> f.getClassName().startsWith("okhttp3.internal.http")))
                .map(e -> e.getKey().getName())
                .toList();
    }
}
