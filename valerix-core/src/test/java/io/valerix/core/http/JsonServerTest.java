package io.valerix.core.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.valerix.core.deadline.Deadline;
import io.valerix.core.testing.RawHttp;
import io.valerix.core.testing.RawSocket;
import java.net.ConnectException;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class JsonServerTest {

    @Test
    void portZeroBindsAnEphemeralLoopbackPortThatIsReadable() {
        try (JsonServer server = JsonServer.builder()
                .route("GET", "/ping", r -> Response.json(200, Map.of("pong", true)))
                .build()
                .start()) {
            assertThat(server.port()).isPositive();
            assertThat(server.uri().getHost())
                    .isEqualTo(InetAddress.getLoopbackAddress().getHostAddress());
            assertThat(RawHttp.send(server.uri(), "GET", "/ping", null, null).body())
                    .isEqualTo("{\"pong\":true}");
        }
    }

    @Test
    void handlerSeesARemainingBudgetNoLargerThanTheClientHad() {
        AtomicLong seenMillis = new AtomicLong();
        try (JsonServer server = JsonServer.builder()
                .route("GET", "/budget", r -> {
                    seenMillis.set(r.deadline().remaining().toMillis());
                    return Response.json(200, Map.of());
                })
                .build()
                .start()) {
            JsonClient client = JsonClient.builder(server.uri()).build();
            Deadline deadline = Deadline.after(Duration.ofMillis(750));

            client.send(JsonRequest.get("/budget"), Void.class, deadline);

            assertThat(seenMillis.get()).isPositive().isLessThanOrEqualTo(750);
            assertThat(seenMillis.get()).isGreaterThan(deadline.remaining().toMillis() - 750 + 500);
        }
    }

    @Test
    void serverCapsACallersBudgetAtItsOwnMaximum() {
        AtomicLong seenMillis = new AtomicLong();
        try (JsonServer server = JsonServer.builder()
                .maxDeadline(Duration.ofMillis(300))
                .route("GET", "/budget", r -> {
                    seenMillis.set(r.deadline().remaining().toMillis());
                    return Response.json(200, Map.of());
                })
                .build()
                .start()) {
            RawHttp.send(server.uri(), "GET", "/budget", null, null, ValerixHeaders.BUDGET_MS, "60000");

            assertThat(seenMillis.get()).isLessThanOrEqualTo(300);
        }
    }

    @Test
    void requestWhoseBudgetIsGoneIsRefusedWithoutRunningTheHandler() {
        AtomicInteger calls = new AtomicInteger();
        try (JsonServer server = JsonServer.builder()
                .route("PUT", "/work", r -> {
                    calls.incrementAndGet();
                    return Response.json(200, Map.of());
                })
                .build()
                .start()) {
            RawHttp.Reply reply =
                    RawHttp.send(server.uri(), "PUT", "/work", "application/json", "{}", ValerixHeaders.BUDGET_MS, "0");

            assertThat(reply.status()).isEqualTo(504);
            assertThat(reply.problemType()).isEqualTo("urn:valerix:problem:deadline-exceeded");
            assertThat(calls).hasValue(0);
        }
    }

    @Test
    void malformedBudgetHeaderIs400() {
        try (JsonServer server = JsonServer.builder()
                .route("GET", "/x", r -> Response.json(200, Map.of()))
                .build()
                .start()) {
            RawHttp.Reply reply = RawHttp.send(server.uri(), "GET", "/x", null, null, ValerixHeaders.BUDGET_MS, "soon");

            assertThat(reply.status()).isEqualTo(400);
            assertThat(reply.json().path("detail").asText()).contains(ValerixHeaders.BUDGET_MS);
        }
    }

    @Test
    void filtersRunInOrderAroundTheHandlerAndSeeProblemsAsResponses() {
        List<String> trace = new CopyOnWriteArrayList<>();
        try (JsonServer server = JsonServer.builder()
                .filter((r, next) -> {
                    trace.add("outer>");
                    Response response = next.handle(r);
                    trace.add("<outer " + response.status());
                    return response;
                })
                .filter((r, next) -> {
                    trace.add("inner>");
                    Response response = next.handle(r);
                    trace.add("<inner " + response.status());
                    return response.withHeader("X-Inner", "yes");
                })
                .route("GET", "/x", r -> {
                    trace.add("handler " + r.route());
                    return Response.json(200, Map.of());
                })
                .build()
                .start()) {
            RawHttp.Reply ok = RawHttp.send(server.uri(), "GET", "/x", null, null);
            RawHttp.Reply missing = RawHttp.send(server.uri(), "GET", "/y", null, null);

            assertThat(ok.headers()).containsEntry("x-inner", List.of("yes"));
            assertThat(missing.status()).isEqualTo(404);
            assertThat(trace)
                    .containsExactly(
                            "outer>",
                            "inner>",
                            "handler GET /x",
                            "<inner 200",
                            "<outer 200",
                            "outer>",
                            "inner>",
                            "<inner 404",
                            "<outer 404");
        }
    }

    @Test
    void literalSegmentsWinOverParametersWhateverTheOrderRoutesWereAdded() {
        try (JsonServer server = JsonServer.builder()
                .route("GET", "/orders/{orderId}", r -> Response.json(200, Map.of("id", r.pathParam("orderId"))))
                .route("GET", "/orders/stats", r -> Response.json(200, Map.of("stats", true)))
                .build()
                .start()) {
            assertThat(RawHttp.send(server.uri(), "GET", "/orders/stats", null, null)
                            .body())
                    .isEqualTo("{\"stats\":true}");
            assertThat(RawHttp.send(server.uri(), "GET", "/orders/a%20b", null, null)
                            .body())
                    .isEqualTo("{\"id\":\"a b\"}");
        }
    }

    @Test
    void droppedConnectionGivesTheClientAnIoErrorAndTheServerKeepsServing() {
        try (JsonServer server = JsonServer.builder()
                .filter((r, next) -> r.path().equals("/drop") ? Response.dropConnection() : next.handle(r))
                .route("GET", "/drop", r -> Response.json(200, Map.of()))
                .route("GET", "/ok", r -> Response.json(200, Map.of("ok", true)))
                .build()
                .start()) {
            JsonClient client = JsonClient.builder(server.uri()).build();

            assertThatThrownBy(() ->
                            client.send(JsonRequest.get("/drop"), Void.class, Deadline.after(Duration.ofSeconds(2))))
                    .isInstanceOf(TransportException.class);
            assertThat(client.send(JsonRequest.get("/ok"), Map.class, Deadline.after(Duration.ofSeconds(2)))
                            .body())
                    .containsEntry("ok", true);
        }
    }

    @Test
    void closeLetsInFlightRequestsFinishThenRefusesNewConnections() throws Exception {
        CountDownLatch entered = new CountDownLatch(1);
        JsonServer server = JsonServer.builder()
                .drainTimeout(Duration.ofSeconds(5))
                .route("GET", "/slow", r -> {
                    entered.countDown();
                    Thread.sleep(300);
                    return Response.json(200, Map.of("done", true));
                })
                .build()
                .start();
        CompletableFuture<RawHttp.Reply> inFlight =
                CompletableFuture.supplyAsync(() -> RawHttp.send(server.uri(), "GET", "/slow", null, null));
        assertThat(entered.await(5, TimeUnit.SECONDS)).isTrue();
        var uri = server.uri();

        server.close();

        assertThat(inFlight.get(5, TimeUnit.SECONDS).body()).isEqualTo("{\"done\":true}");
        assertThatThrownBy(() -> new java.net.Socket(uri.getHost(), uri.getPort()).close())
                .isInstanceOf(ConnectException.class);
    }

    @Test
    void pastTheInFlightBoundARequestIsRefusedAtOnceButOperatorRoutesStillAnswer() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch busy = new CountDownLatch(2);
        try (JsonServer server = JsonServer.builder()
                .maxInFlight(2)
                .drainTimeout(Duration.ZERO)
                .route("GET", "/slow", r -> {
                    busy.countDown();
                    release.await(5, TimeUnit.SECONDS);
                    return Response.json(200, Map.of());
                })
                .route("GET", "/health", r -> Response.json(200, Map.of("status", "UP")))
                .build()
                .start()) {
            // Their own threads: the common pool may have a single thread on a small machine.
            var threads = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor();
            List<CompletableFuture<RawHttp.Reply>> holding = List.of(
                    CompletableFuture.supplyAsync(
                            () -> RawHttp.send(server.uri(), "GET", "/slow", null, null), threads),
                    CompletableFuture.supplyAsync(
                            () -> RawHttp.send(server.uri(), "GET", "/slow", null, null), threads));
            assertThat(busy.await(5, TimeUnit.SECONDS)).isTrue();

            RawHttp.Reply refused = RawHttp.send(server.uri(), "GET", "/slow", null, null);
            RawHttp.Reply health = RawHttp.send(server.uri(), "GET", "/health", null, null);

            assertThat(refused.status()).isEqualTo(503);
            assertThat(refused.problemType()).isEqualTo("urn:valerix:problem:overloaded");
            assertThat(refused.headers()).containsEntry("retry-after", List.of("1"));
            assertThat(health.status()).isEqualTo(200);
            release.countDown();
            for (CompletableFuture<RawHttp.Reply> reply : holding) {
                assertThat(reply.get(5, TimeUnit.SECONDS).status()).isEqualTo(200);
            }
            assertThat(RawHttp.send(server.uri(), "GET", "/slow", null, null).status())
                    .as("permits come back")
                    .isEqualTo(200);
        }
    }

    @Test
    void deadlineCountsFromTheRequestsFirstByteNotFromWhenTheHandlerStarts() {
        AtomicLong remainingMillis = new AtomicLong();
        AtomicLong elapsedMillis = new AtomicLong();
        try (JsonServer server = JsonServer.builder()
                        .route("GET", "/budget", r -> {
                            remainingMillis.set(r.deadline().remaining().toMillis());
                            elapsedMillis.set(r.deadline().elapsed().toMillis());
                            return Response.json(200, Map.of());
                        })
                        .build()
                        .start();
                RawSocket socket = RawSocket.connect(server.uri(), Duration.ofSeconds(30))) {
            socket.send("GET /budget HTTP/1.1\r\nHost: 127.0.0.1\r\n" + ValerixHeaders.BUDGET_MS + ": 1000\r\n");
            // The headers take 400 ms to finish arriving: that time is already spent when the handler runs.
            sleepQuietly(400);
            socket.send("\r\n");

            assertThat(socket.readReply().status()).isEqualTo(200);
            // Jetty stamps the first byte when its selector reads it, a little after the send: 300, not
            // 400. Counted from the handler's start, elapsed would be near 0 and remaining near 1000.
            assertThat(elapsedMillis.get()).isGreaterThanOrEqualTo(300);
            assertThat(remainingMillis.get()).isLessThanOrEqualTo(700);
        }
    }

    @Test
    void shedRequestsPassOnlyTheFiltersThatAskToSeeThem() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch busy = new CountDownLatch(1);
        List<String> seen = new CopyOnWriteArrayList<>();
        try (JsonServer server = JsonServer.builder()
                .maxInFlight(1)
                .drainTimeout(Duration.ZERO)
                .filter(new Filter() {
                    @Override
                    public Response filter(Request request, Handler next) throws Exception {
                        Response response = next.handle(request);
                        seen.add("recording " + response.status());
                        return response;
                    }

                    @Override
                    public boolean seesRefusedRequests() {
                        return true;
                    }
                })
                .filter((r, next) -> {
                    Response response = next.handle(r);
                    seen.add("gremlin-like " + response.status());
                    return response;
                })
                .route("GET", "/slow", r -> {
                    busy.countDown();
                    release.await(10, TimeUnit.SECONDS);
                    return Response.json(200, Map.of());
                })
                .build()
                .start()) {
            CompletableFuture<RawHttp.Reply> holding = CompletableFuture.supplyAsync(
                    () -> RawHttp.send(server.uri(), "GET", "/slow", null, null),
                    java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor());
            assertThat(busy.await(10, TimeUnit.SECONDS)).isTrue();

            RawHttp.Reply shed = RawHttp.send(server.uri(), "GET", "/slow", null, null);

            assertThat(shed.status()).isEqualTo(503);
            assertThat(seen).containsExactly("recording 503");
            release.countDown();
            assertThat(holding.get(10, TimeUnit.SECONDS).status()).isEqualTo(200);
            assertThat(seen).containsExactly("recording 503", "gremlin-like 200", "recording 200");
        }
    }

    @Test
    void aBodyOverTheLimitIsRefusedPastTheFiltersThatDoNotAskToSeeRefusals() {
        List<String> seen = new CopyOnWriteArrayList<>();
        try (JsonServer server = JsonServer.builder()
                .maxBodyBytes(10)
                .filter(new Filter() {
                    @Override
                    public Response filter(Request request, Handler next) throws Exception {
                        Response response = next.handle(request);
                        seen.add("recording " + response.status());
                        return response;
                    }

                    @Override
                    public boolean seesRefusedRequests() {
                        return true;
                    }
                })
                .filter((r, next) -> {
                    seen.add("idempotency-like");
                    return next.handle(r);
                })
                .route("PUT", "/x", r -> Response.json(200, Map.of()))
                .build()
                .start()) {
            RawHttp.Reply reply =
                    RawHttp.send(server.uri(), "PUT", "/x", "application/json", "{\"a\":\"" + "x".repeat(100) + "\"}");

            assertThat(reply.status()).isEqualTo(413);
            assertThat(seen).containsExactly("recording 413");
        }
    }

    @Test
    void aRouteThatRunsLongerThanTheIdleTimeoutStillAnswers() {
        try (JsonServer server = JsonServer.builder()
                .idleTimeout(Duration.ofMillis(200))
                .route("GET", "/slow", r -> {
                    Thread.sleep(800);
                    return Response.json(200, Map.of("done", true));
                })
                .build()
                .start()) {
            RawHttp.Reply reply = RawHttp.send(server.uri(), "GET", "/slow", null, null);

            assertThat(reply.status()).isEqualTo(200);
            assertThat(reply.body()).isEqualTo("{\"done\":true}");
        }
    }

    private static void sleepQuietly(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    void badSettingsAreRejectedWithTheValue() {
        assertThatThrownBy(() ->
                        JsonServer.builder().headerReadTimeout(Duration.ZERO).build())
                .hasMessageContaining("headerReadTimeout must be at least 1 ms, but was PT0S");
        assertThatThrownBy(() ->
                        JsonServer.builder().idleTimeout(Duration.ofNanos(10)).build())
                .hasMessageContaining("idleTimeout");
        assertThatThrownBy(() -> JsonServer.builder().minRequestDataRate(0).build())
                .hasMessageContaining("minRequestDataRate must be at least 1 byte/s, but was 0");
        assertThatThrownBy(() -> JsonServer.builder().maxConnections(0).build())
                .hasMessageContaining("maxConnections must be at least 1, but was 0");
        assertThatThrownBy(() -> JsonServer.builder().maxHeaderBytes(100).build())
                .hasMessageContaining("maxHeaderBytes must be at least 1024, but was 100");
        assertThatThrownBy(() -> JsonServer.builder().port(70000).build()).hasMessageContaining("70000");
        assertThatThrownBy(() -> JsonServer.builder().maxBodyBytes(0).build()).hasMessageContaining("maxBodyBytes");
        assertThatThrownBy(() -> JsonServer.builder().maxInFlight(0).build())
                .hasMessageContaining("maxInFlight must be at least 1, but was 0");
        assertThatThrownBy(() -> JsonServer.builder().route("get", "/x", r -> null))
                .hasMessageContaining("'get'");
        assertThatThrownBy(() -> JsonServer.builder().route("GET", "/x/{a b}", r -> null))
                .hasMessageContaining("{a b}");
        assertThatThrownBy(() -> JsonServer.builder()
                        .route("GET", "/x/{a}", r -> null)
                        .route("GET", "/x/{b}", r -> null)
                        .build())
                .hasMessageContaining("duplicate route");
    }
}
