package io.valerix.order;

import static org.assertj.core.api.Assertions.assertThat;

import io.valerix.core.testing.RawHttp;
import io.valerix.core.testing.RawSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The real order service, with its default HTTP limits, while slow clients attack it over raw
 * sockets: orders keep being placed (never shed, never late by more than the slack a loaded machine
 * needs), and each attacker is cut off by its limit. Time bounds are generous on purpose; the tight
 * figures are the benchmark's.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class HostileClientsOrderHttpTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(1);
    private static final Duration SLACK = Duration.ofSeconds(10);

    @RegisterExtension
    final RunningServices running = new RunningServices();

    @Test
    void ordersKeepBeingPlacedWhileSlowHeadersAndSlowBodiesHoldConnections() throws Exception {
        // Given the order service with its default limits (5 s for headers, 4 KiB/s for bodies)
        RunningServices.Services services =
                running.start(s -> s.stock("widget=100000").timeout(TIMEOUT));
        AtomicBoolean attacking = new AtomicBoolean(true);
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<Boolean>> slowloris = new ArrayList<>();
            List<Future<RawSocketReply>> slowBodies = new ArrayList<>();
            // When 100 clients trickle headers and 100 trickle bodies of POST /orders
            for (int i = 0; i < 100; i++) {
                slowloris.add(threads.submit(() -> {
                    try (RawSocket socket = RawSocket.connect(
                            services.orderUri(), Duration.ofSeconds(5).plus(SLACK))) {
                        socket.send("POST /orders HTTP/1.1\r\nHost: 127.0.0.1\r\n");
                        while (attacking.get() && socket.send("X-Slow: 1\r\n")) {
                            Thread.sleep(200);
                        }
                        return socket.awaitClosedByServer();
                    }
                }));
                slowBodies.add(threads.submit(() -> {
                    try (RawSocket socket = RawSocket.connect(services.orderUri(), SLACK)) {
                        socket.send("POST /orders HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                                + "Idempotency-Key: slow\r\nContent-Length: 500\r\n\r\n{");
                        for (int b = 0; b < 100 && socket.send(" "); b++) {
                            Thread.sleep(200);
                        }
                        RawSocket.Reply reply = socket.readReply();
                        return new RawSocketReply(reply.status(), reply.contentType(), reply.problemType());
                    }
                }));
            }

            // Then well-behaved orders keep being placed, in time
            List<RawHttp.Reply> orders = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                orders.add(services.place("good-" + i, "widget", 1));
            }
            assertThat(orders).allSatisfy(reply -> {
                assertThat(reply.status()).as(reply.toString()).isIn(201, 202);
                assertThat(reply.elapsed()).isLessThan(TIMEOUT.plus(SLACK));
            });

            // And every slow body got 408 problem+json; every slowloris connection was closed by the server
            for (Future<RawSocketReply> body : slowBodies) {
                RawSocketReply reply = body.get(60, TimeUnit.SECONDS);
                assertThat(reply.status()).isEqualTo(408);
                assertThat(reply.contentType()).startsWith("application/problem+json");
                assertThat(reply.problemType()).isEqualTo("urn:valerix:problem:request-timeout");
            }
            for (Future<Boolean> headers : slowloris) {
                assertThat(headers.get(60, TimeUnit.SECONDS))
                        .as("closed by the header read timeout")
                        .isTrue();
            }
        } finally {
            attacking.set(false);
        }
    }

    private record RawSocketReply(int status, String contentType, String problemType) {}
}
