package io.valerix.harness.link;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The proxy against real sockets: an echo server and the JDK's HTTP server upstream. Absence of an
 * answer is checked with a short read timeout: on a slow machine that check can only pass more
 * easily, never fail wrongly, while without the fault the echo comes back at once.
 */
class LinkProxyTest {

    private static final Duration QUIET = Duration.ofMillis(300);
    private static final int GENEROUS_MILLIS = 30_000;

    private EchoServer echo;
    private LinkProxy proxy;

    @BeforeEach
    void start() throws IOException {
        echo = new EchoServer();
        proxy = LinkProxy.start(echo.address());
    }

    @AfterEach
    void stop() throws IOException {
        proxy.close();
        echo.close();
    }

    @Test
    void passesBytesBothWaysUntouchedAndPassesTheCloseOnWhileHealthy() throws Exception {
        byte[] payload = new byte[1 << 20];
        new Random(7).nextBytes(payload);
        try (Socket socket = connect()) {
            Thread writer = Thread.ofVirtual().start(() -> {
                try {
                    socket.getOutputStream().write(payload);
                    socket.shutdownOutput();
                } catch (IOException e) {
                    throw new RuntimeException(e);
                }
            });
            byte[] back = socket.getInputStream().readAllBytes(); // ends only if the echo server's close came through

            assertThat(back).isEqualTo(payload);
            assertThat(writer.join(Duration.ofMillis(GENEROUS_MILLIS))).isTrue();
        }
    }

    @Test
    void aBlackholeHoldsTheBytesOfOpenAndNewConnectionsAndDeliversThemWhenItEnds() throws IOException {
        try (Socket open = connect()) {
            assertThat(roundTrip(open, "a")).isEqualTo("a");

            proxy.fault(LinkFault.blackhole());
            send(open, "b");
            try (Socket fresh = connect()) { // accepted, and then nothing
                send(fresh, "c");
                assertNoAnswerFor(open, QUIET);
                assertNoAnswerFor(fresh, QUIET);

                proxy.clear();
                assertThat(read(open, 1)).isEqualTo("b");
                assertThat(read(fresh, 1)).isEqualTo("c");
            }
        }
        assertThat(proxy.events()).singleElement().satisfies(event -> {
            assertThat(event.fault()).isEqualTo(LinkFault.blackhole());
            assertThat(event.ended()).isPresent();
        });
    }

    @Test
    void aResetBreaksOpenConnectionsAndEveryNewOne() throws IOException {
        try (Socket open = connect()) {
            assertThat(roundTrip(open, "a")).isEqualTo("a");

            proxy.fault(LinkFault.reset());

            assertDeadNow(open);
            try (Socket fresh = connect()) {
                assertDeadNow(fresh);
            }
        }
        assertThat(proxy.events().getFirst().connectionsHit()).isEqualTo(1);

        proxy.clear();
        try (Socket after = connect()) {
            assertThat(roundTrip(after, "z")).isEqualTo("z");
        }
    }

    @Test
    void halfOpenClosesTheUpstreamSideAndLeavesTheClientOpenAndUnansweredForGood() throws Exception {
        try (Socket open = connect()) {
            assertThat(roundTrip(open, "a")).isEqualTo("a");

            proxy.fault(LinkFault.halfOpen());

            assertThat(echo.upstreamEnds.poll(GENEROUS_MILLIS, TimeUnit.MILLISECONDS))
                    .as("the upstream saw its side close")
                    .isNotNull();
            send(open, "b"); // the client side still takes bytes
            assertNoAnswerFor(open, QUIET);

            proxy.clear();
            send(open, "c");
            assertNoAnswerFor(open, QUIET); // the connection stays dead after the fault, as after a crash
            try (Socket fresh = connect()) {
                assertThat(roundTrip(fresh, "d")).isEqualTo("d");
            }
        }
    }

    @Test
    void addedLatencyDelaysEachWayByAtLeastTheDelay() throws IOException {
        proxy.fault(LinkFault.latency(Duration.ofMillis(150)));
        try (Socket socket = connect()) {
            long began = System.nanoTime();
            assertThat(roundTrip(socket, "a")).isEqualTo("a");

            assertThat(Duration.ofNanos(System.nanoTime() - began)).isGreaterThanOrEqualTo(Duration.ofMillis(300));
        }
    }

    @Test
    void aBandwidthLimitSpacesTheBytesToTheRate() throws IOException {
        int rate = 64 * 1024;
        proxy.fault(LinkFault.bandwidth(rate));
        byte[] payload = new byte[rate / 2];
        try (Socket socket = connect()) {
            long began = System.nanoTime();
            socket.getOutputStream().write(payload);
            byte[] back = socket.getInputStream().readNBytes(payload.length);

            assertThat(back).hasSize(payload.length);
            // Half a second of the rate each way, pipelined: at least that, less the first slice.
            assertThat(Duration.ofNanos(System.nanoTime() - began)).isGreaterThanOrEqualTo(Duration.ofMillis(450));
        }
    }

    @Test
    void playsAScheduleWindowByWindowAndRecordsEach() {
        proxy.play(
                List.of(LinkWindow.parse("blackhole 150ms at 250ms"), LinkWindow.parse("reset 100ms at 0s")),
                System.nanoTime());

        await().atMost(Duration.ofMillis(GENEROUS_MILLIS))
                .until(() -> proxy.events().size() == 2
                        && proxy.events().get(1).ended().isPresent());
        List<LinkEvent> events = proxy.events();
        assertThat(events).extracting(LinkEvent::fault).containsExactly(LinkFault.reset(), LinkFault.blackhole());
        assertThat(Duration.between(events.get(1).began(), events.get(1).ended().orElseThrow()))
                .isGreaterThanOrEqualTo(Duration.ofMillis(140));
        assertThat(events.get(1).began()).isAfterOrEqualTo(events.get(0).ended().orElseThrow());
        assertThat(proxy.currentFault()).isEmpty();
    }

    @Test
    void anHttpServerBehindTheProxyAnswersUntilTheBlackholeAndAgainAfterIt() throws Exception {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/stock", exchange -> {
            byte[] body = "{\"available\":3}".getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        try (LinkProxy http = LinkProxy.start(server.getAddress());
                HttpClient client = HttpClient.newBuilder()
                        .version(HttpClient.Version.HTTP_1_1)
                        .build()) {
            HttpRequest request = HttpRequest.newBuilder(http.uri().resolve("/stock"))
                    .timeout(Duration.ofMillis(GENEROUS_MILLIS))
                    .build();
            assertThat(client.send(request, HttpResponse.BodyHandlers.ofString())
                            .body())
                    .isEqualTo("{\"available\":3}");

            http.fault(LinkFault.blackhole());
            HttpRequest impatient = HttpRequest.newBuilder(http.uri().resolve("/stock"))
                    .timeout(QUIET)
                    .build();
            assertThatThrownBy(() -> client.send(impatient, HttpResponse.BodyHandlers.ofString()))
                    .isInstanceOf(HttpTimeoutException.class);

            http.clear();
            assertThat(client.send(request, HttpResponse.BodyHandlers.ofString())
                            .statusCode())
                    .isEqualTo(200);
        } finally {
            server.stop(0);
        }
    }

    @Test
    void closingTheProxyClosesItsConnections() throws IOException {
        try (Socket socket = connect()) {
            assertThat(roundTrip(socket, "a")).isEqualTo("a");
            await().atMost(Duration.ofMillis(GENEROUS_MILLIS)).until(() -> proxy.openConnections() == 1);

            proxy.close();

            assertDeadNow(socket);
            await().atMost(Duration.ofMillis(GENEROUS_MILLIS)).until(() -> proxy.openConnections() == 0);
        }
    }

    private Socket connect() throws IOException {
        Socket socket = new Socket(InetAddress.getLoopbackAddress(), proxy.port());
        socket.setSoTimeout(GENEROUS_MILLIS);
        return socket;
    }

    private static String roundTrip(Socket socket, String text) throws IOException {
        send(socket, text);
        return read(socket, text.length());
    }

    private static void send(Socket socket, String text) throws IOException {
        socket.getOutputStream().write(text.getBytes(StandardCharsets.US_ASCII));
        socket.getOutputStream().flush();
    }

    private static String read(Socket socket, int length) throws IOException {
        byte[] bytes = socket.getInputStream().readNBytes(length);
        return new String(bytes, StandardCharsets.US_ASCII);
    }

    private static void assertNoAnswerFor(Socket socket, Duration quiet) throws IOException {
        int before = socket.getSoTimeout();
        socket.setSoTimeout((int) quiet.toMillis());
        try {
            assertThatThrownBy(() -> socket.getInputStream().read()).isInstanceOf(SocketTimeoutException.class);
        } finally {
            socket.setSoTimeout(before);
        }
    }

    // Dead: the read ends with a reset or an end of stream, and does not wait out the read timeout.
    private static void assertDeadNow(Socket socket) {
        try {
            InputStream in = socket.getInputStream();
            assertThat(in.read()).isEqualTo(-1);
        } catch (IOException e) {
            assertThat(e).isNotInstanceOf(SocketTimeoutException.class);
        }
    }

    /** Echoes every byte back; records each connection whose client side closed or broke. */
    private static final class EchoServer implements AutoCloseable {
        final BlockingQueue<Integer> upstreamEnds = new LinkedBlockingQueue<>();
        private final ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        private final AtomicInteger connections = new AtomicInteger();

        EchoServer() throws IOException {
            Thread.ofVirtual().start(() -> {
                while (!server.isClosed()) {
                    try {
                        Socket socket = server.accept();
                        int id = connections.incrementAndGet();
                        Thread.ofVirtual().start(() -> echo(socket, id));
                    } catch (IOException e) {
                        return;
                    }
                }
            });
        }

        InetSocketAddress address() {
            return new InetSocketAddress(InetAddress.getLoopbackAddress(), server.getLocalPort());
        }

        private void echo(Socket socket, int id) {
            try (socket) {
                byte[] buffer = new byte[8192];
                int n;
                InputStream in = socket.getInputStream();
                while ((n = in.read(buffer)) >= 0) {
                    socket.getOutputStream().write(Arrays.copyOf(buffer, n));
                }
            } catch (IOException e) {
                // a reset from the proxy ends the connection too
            } finally {
                upstreamEnds.add(id);
            }
        }

        @Override
        public void close() throws IOException {
            server.close();
        }
    }
}
