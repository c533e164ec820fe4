package io.valerix.core.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.valerix.core.testing.RawHttp;
import io.valerix.core.testing.RawSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Slow, malformed and greedy clients, over raw sockets against a real server: each attack is cut
 * off by a documented limit with a problem+json answer (or a closed connection where no answer is
 * possible), and a well-behaved JSON client keeps getting answered while it runs.
 *
 * <p>Time bounds carry generous slack so they hold on a loaded 2-core machine; the tight figures
 * come from the benchmark (BENCHMARKS.md), not from here.
 */
class HostileClientsTest {

    private static final Duration HEADER_READ_TIMEOUT = Duration.ofMillis(500);
    private static final Duration IDLE_TIMEOUT = Duration.ofSeconds(3);
    private static final long MIN_RATE = 1024;
    /** Room for a loaded machine on top of a limit; a limit that does not hold misses by far more. */
    private static final Duration SLACK = Duration.ofSeconds(10);

    private JsonServer server;
    private ExecutorService threads;

    @BeforeEach
    void start() {
        threads = Executors.newVirtualThreadPerTaskExecutor();
        server = JsonServer.builder()
                .headerReadTimeout(HEADER_READ_TIMEOUT)
                .idleTimeout(IDLE_TIMEOUT)
                .minRequestDataRate(MIN_RATE)
                // Small on purpose: attackers that held a permit would shut the prober out at once.
                .maxInFlight(4)
                .drainTimeout(Duration.ZERO)
                .route("POST", "/echo", r -> Response.json(200, r.bodyAs(Map.class)))
                .route("GET", "/ping", r -> Response.json(200, Map.of("pong", true)))
                .build()
                .start();
    }

    @AfterEach
    void stop() {
        server.close();
        threads.shutdownNow();
    }

    @Test
    void trickledHeadersAreCutOffAtTheHeaderReadTimeoutWhileOthersAreAnswered() throws Exception {
        try (Prober prober = new Prober()) {
            List<Future<Long>> attacks = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                attacks.add(threads.submit(() -> {
                    try (RawSocket socket = RawSocket.connect(server.uri(), HEADER_READ_TIMEOUT.plus(SLACK))) {
                        long start = System.nanoTime();
                        socket.send("POST /echo HTTP/1.1\r\nHost: 127.0.0.1\r\n");
                        // A header line every 100 ms: far inside the idle timeout, so only the header read
                        // timeout can end it.
                        while (socket.send("X-Slow: " + System.nanoTime() + "\r\n")) {
                            Thread.sleep(100);
                            if (System.nanoTime() - start
                                    > HEADER_READ_TIMEOUT.plus(SLACK).toNanos()) {
                                return -1L;
                            }
                        }
                        assertThat(socket.awaitClosedByServer()).isTrue();
                        return System.nanoTime() - start;
                    }
                }));
            }
            for (Future<Long> attack : attacks) {
                long nanos = attack.get(60, TimeUnit.SECONDS);
                assertThat(nanos).as("closed by the server").isPositive();
                assertThat(Duration.ofNanos(nanos))
                        .isGreaterThanOrEqualTo(HEADER_READ_TIMEOUT.minusMillis(50))
                        .isLessThan(HEADER_READ_TIMEOUT.plus(SLACK));
            }
            prober.assertAllAnswered();
        }
    }

    @Test
    void aKeepAliveConnectionWhoseHeadersCameInPiecesIsNotCutWhileIdleAfterwards() throws Exception {
        try (RawSocket socket = RawSocket.connect(server.uri(), SLACK)) {
            socket.send("GET /ping HTTP/1.1\r\nHost: 127.0.0.1\r\n");
            Thread.sleep(100);
            socket.send("\r\n");
            assertThat(socket.readReply().status()).isEqualTo(200);

            // Idle for twice the header read timeout, well inside the idle timeout: the timer armed for
            // the first request's headers must not fire on the idle connection.
            Thread.sleep(HEADER_READ_TIMEOUT.toMillis() * 2);
            socket.send("GET /ping HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");

            assertThat(socket.readReply().status()).isEqualTo(200);
        }
    }

    @Test
    void slowBodiesGet408ProblemAndHoldNoInFlightPermitMeanwhile() throws Exception {
        try (Prober prober = new Prober()) {
            List<Future<RawSocket.Reply>> attacks = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                attacks.add(threads.submit(() -> {
                    try (RawSocket socket = RawSocket.connect(server.uri(), IDLE_TIMEOUT.plus(SLACK))) {
                        socket.send(
                                "POST /echo HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 2000\r\n\r\n{");
                        // 5 bytes/s: every byte resets the idle timeout; only the minimum rate can end it.
                        Thread.sleep(200);
                        for (int b = 0; b < 100 && socket.send(" "); b++) {
                            Thread.sleep(200);
                        }
                        RawSocket.Reply reply = socket.readReply();
                        assertThat(socket.awaitClosedByServer())
                                .as("closed after the 408")
                                .isTrue();
                        return reply;
                    }
                }));
            }
            // While 20 slow bodies are in progress (5 times maxInFlight), the prober is never shed.
            prober.awaitAnswers(5);
            for (Future<RawSocket.Reply> attack : attacks) {
                RawSocket.Reply reply = attack.get(60, TimeUnit.SECONDS);
                assertProblem(reply, 408, "urn:valerix:problem:request-timeout");
                assertThat(reply.closesConnection()).isTrue();
            }
            prober.assertAllAnswered();
        }
    }

    @Test
    void contentLengthLongerThanTheBodyGets408ProblemInsteadOfWaitingForever() throws Exception {
        try (Prober prober = new Prober();
                RawSocket socket = RawSocket.connect(server.uri(), IDLE_TIMEOUT.plus(SLACK))) {
            long start = System.nanoTime();
            socket.send(
                    "POST /echo HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"a\":1}");

            RawSocket.Reply reply = socket.readReply();

            assertProblem(reply, 408, "urn:valerix:problem:request-timeout");
            assertThat(Duration.ofNanos(System.nanoTime() - start))
                    .isLessThan(Duration.ofSeconds(1).plus(SLACK));
            assertThat(socket.awaitClosedByServer()).isTrue();
            prober.assertAllAnswered();
        }
    }

    @Test
    void badChunkSizeIs400ProblemAndTheConnectionCloses() {
        try (Prober prober = new Prober();
                RawSocket socket = RawSocket.connect(server.uri(), IDLE_TIMEOUT.plus(SLACK))) {
            socket.send(
                    "POST /echo HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n{}\r\n0\r\n\r\n");

            RawSocket.Reply reply = socket.readReply();

            assertProblem(reply, 400, "urn:valerix:problem:invalid-request");
            assertThat(socket.awaitClosedByServer()).isTrue();
            prober.assertAllAnswered();
        }
    }

    @Test
    void oneMegabyteHeaderIs431ProblemNotAReset() throws Exception {
        try (Prober prober = new Prober();
                RawSocket socket = RawSocket.connect(server.uri(), IDLE_TIMEOUT.plus(SLACK))) {
            // Written from another thread: the server answers after 16 KiB and may stop reading.
            Future<Boolean> sent = threads.submit(() -> socket.send(
                    "GET /ping HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Big: " + "a".repeat(1024 * 1024) + "\r\n\r\n"));

            RawSocket.Reply reply = socket.readReply();

            assertProblem(reply, 431, "urn:valerix:problem:header-too-large");
            sent.get(30, TimeUnit.SECONDS);
            prober.assertAllAnswered();
        }
    }

    @Test
    void bodyOverTheLimitIs413ProblemAndTheConnectionClosesSoTheRestIsNotReadAsARequest() {
        try (RawSocket socket = RawSocket.connect(server.uri(), IDLE_TIMEOUT.plus(SLACK))) {
            socket.send(
                    "POST /echo HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n{\"a\":\"");

            RawSocket.Reply reply = socket.readReply();

            assertProblem(reply, 413, "urn:valerix:problem:payload-too-large");
            assertThat(reply.closesConnection()).isTrue();
            assertThat(socket.awaitClosedByServer()).isTrue();
        }
    }

    @Test
    void threeHundredIdleKeepAliveConnectionsAllGetAnswersOnTheirNextRequest() throws Exception {
        List<RawSocket> sockets = new ArrayList<>();
        try {
            for (int i = 0; i < 300; i++) {
                RawSocket socket = RawSocket.connect(server.uri(), SLACK);
                sockets.add(socket);
                socket.send("GET /ping HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
                assertThat(socket.readReply().status()).isEqualTo(200);
            }
            // All 300 now sit idle at once, well inside the idle timeout.
            Thread.sleep(500);
            List<Future<Integer>> next = new ArrayList<>();
            for (RawSocket socket : sockets) {
                next.add(threads.submit(() -> {
                    socket.send("GET /ping HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
                    return socket.readReply().status();
                }));
            }
            for (Future<Integer> status : next) {
                assertThat(status.get(60, TimeUnit.SECONDS)).isEqualTo(200);
            }
        } finally {
            sockets.forEach(RawSocket::close);
        }
    }

    @Test
    void lowercaseMethodIs405ProblemBecauseMethodsAreCaseSensitive() {
        try (RawSocket socket = RawSocket.connect(server.uri(), SLACK)) {
            socket.send(
                    "post /echo HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{}");

            RawSocket.Reply reply = socket.readReply();

            assertProblem(reply, 405, "urn:valerix:problem:method-not-allowed");
            assertThat(reply.headers()).containsEntry("allow", "POST");
        }
    }

    @Test
    void garbageRequestLineAndUnknownHttpVersionAndHugeUriAreProblemsToo() {
        assertThat(exchange("GARBAGE\r\n\r\n").status()).isEqualTo(400);
        assertProblem(exchange("GARBAGE\r\n\r\n"), 400, "urn:valerix:problem:invalid-request");
        assertProblem(
                exchange("GET /ping HTTP/7.1\r\nHost: 127.0.0.1\r\n\r\n"),
                505,
                "urn:valerix:problem:http-version-not-supported");
        assertProblem(
                exchange("GET /" + "a".repeat(20_000) + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"),
                414,
                "urn:valerix:problem:uri-too-long");
    }

    private RawSocket.Reply exchange(String request) {
        try (RawSocket socket = RawSocket.connect(server.uri(), SLACK)) {
            socket.send(request);
            return socket.readReply();
        }
    }

    static void assertProblem(RawSocket.Reply reply, int status, String type) {
        assertThat(reply.status()).as(reply.body()).isEqualTo(status);
        assertThat(reply.contentType()).startsWith("application/problem+json");
        assertThat(reply.problemType()).isEqualTo(type);
        assertThat(reply.body()).doesNotContain("Exception", "\tat ", "<html");
    }

    /** A well-behaved client that keeps sending JSON requests and records every status it gets. */
    private final class Prober implements AutoCloseable {
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final List<Integer> statuses = new CopyOnWriteArrayList<>();
        private final Future<?> loop;

        Prober() {
            loop = threads.submit(() -> {
                while (running.get()) {
                    statuses.add(RawHttp.send(server.uri(), "POST", "/echo", "application/json", "{\"ok\":true}")
                            .status());
                    Thread.sleep(20);
                }
                return null;
            });
        }

        void awaitAnswers(int count) {
            org.awaitility.Awaitility.await().atMost(SLACK).until(() -> statuses.size() >= count || loop.isDone());
        }

        void assertAllAnswered() {
            awaitAnswers(3);
            assertThat(loop.isDone())
                    .as("the prober failed: a request got no answer")
                    .isFalse();
            assertThat(statuses).isNotEmpty().containsOnly(200);
        }

        @Override
        public void close() {
            running.set(false);
        }
    }
}
