package io.valerix.core.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.valerix.core.testing.RawHttp;
import io.valerix.core.testing.RawSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Many connections against slow handlers: the excess is shed with 503 {@code overloaded} and
 * {@code Retry-After}, nothing else goes wrong, and the operator route keeps answering. Bounded:
 * 500 connections, about three seconds, 127.0.0.1 only.
 */
class OverloadTest {

    private static final Duration RUN = Duration.ofSeconds(3);

    @Test
    void fiveHundredConnectionsGetOnly2xxOr503OverloadedAndHealthKeepsAnswering() throws Exception {
        AtomicInteger shedSeen = new AtomicInteger();
        try (JsonServer server = JsonServer.builder()
                        .maxInFlight(50)
                        .drainTimeout(Duration.ZERO)
                        .filter(new Filter() {
                            @Override
                            public Response filter(Request request, Handler next) throws Exception {
                                Response response = next.handle(request);
                                if (response.status() == 503) {
                                    shedSeen.incrementAndGet();
                                }
                                return response;
                            }

                            @Override
                            public boolean seesRefusedRequests() {
                                return true;
                            }
                        })
                        .route("POST", "/orders", r -> {
                            Thread.sleep(100);
                            return Response.json(201, r.bodyAs(Map.class));
                        })
                        .route("GET", "/health", r -> Response.json(200, Map.of("status", "UP")))
                        .build()
                        .start();
                ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor()) {
            long end = System.nanoTime() + RUN.toNanos();
            List<Future<List<RawSocket.Reply>>> connections = new ArrayList<>();
            for (int c = 0; c < 500; c++) {
                connections.add(clients.submit(() -> {
                    List<RawSocket.Reply> replies = new ArrayList<>();
                    try (RawSocket socket = RawSocket.connect(server.uri(), Duration.ofSeconds(30))) {
                        while (System.nanoTime() < end) {
                            socket.send(
                                    "POST /orders HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 7\r\n\r\n{\"q\":1}");
                            replies.add(socket.readReply());
                        }
                    }
                    return replies;
                }));
            }
            List<Integer> healthStatuses = new ArrayList<>();
            while (System.nanoTime() < end) {
                healthStatuses.add(
                        RawHttp.send(server.uri(), "GET", "/health", null, null).status());
            }

            int ok = 0;
            int shed = 0;
            for (Future<List<RawSocket.Reply>> connection : connections) {
                for (RawSocket.Reply reply : connection.get(60, TimeUnit.SECONDS)) {
                    if (reply.status() == 201) {
                        ok++;
                    } else {
                        HostileClientsTest.assertProblem(reply, 503, "urn:valerix:problem:overloaded");
                        assertThat(reply.headers()).containsEntry("retry-after", "1");
                        shed++;
                    }
                }
            }
            assertThat(ok).as("admitted requests run").isPositive();
            assertThat(shed).as("500 connections against 50 permits must shed").isPositive();
            assertThat(shedSeen)
                    .as("shed answers pass the shedding-aware filters")
                    .hasValue(shed);
            assertThat(healthStatuses).isNotEmpty().containsOnly(200);
        }
    }
}
