package io.valerix.examples;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The proxy and the interceptor in front of somebody's server: the JDK's own HttpServer. */
class GremlinInFrontOfAnyServerTest {

    private static final String TOKEN = "example-admin-token-0123456789";

    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private final AtomicInteger paymentsTaken = new AtomicInteger();
    private final AtomicInteger itemsServed = new AtomicInteger();
    private HttpServer server;
    private URI upstream;

    @BeforeEach
    void startSomebodysServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/payments", exchange -> {
            exchange.getRequestBody().readAllBytes();
            paymentsTaken.incrementAndGet();
            answer(exchange, 201, "{\"payment\":\"p-" + paymentsTaken.get() + "\"}");
        });
        server.createContext("/items", exchange -> {
            itemsServed.incrementAndGet();
            answer(exchange, 200, "{\"items\":[]}");
        });
        server.start();
        upstream = URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    @AfterEach
    void stopSomebodysServer() {
        server.stop(0);
    }

    @Test
    void theProxyLosesThePaymentsAnswerAfterTheServerTookThePayment() {
        List<Integer> statuses = GremlinInFrontOfAnyServer.throughProxy(
                upstream,
                TOKEN,
                proxy -> List.of(
                        send(HttpRequest.newBuilder(proxy.resolve("/payments"))
                                .POST(HttpRequest.BodyPublishers.ofString("{}"))),
                        send(HttpRequest.newBuilder(proxy.resolve("/items"))),
                        send(HttpRequest.newBuilder(proxy.resolve("/admin/gremlin"))),
                        send(HttpRequest.newBuilder(proxy.resolve("/admin/gremlin"))
                                .header("Authorization", "Bearer " + TOKEN))));

        // the payment was taken, yet the client got 503: the "after" case
        assertThat(statuses.get(0)).isEqualTo(503);
        assertThat(paymentsTaken).hasValue(1);
        // other routes pass through untouched, and the admin route is behind the token
        assertThat(statuses.get(1)).isEqualTo(200);
        assertThat(itemsServed).hasValue(1);
        assertThat(statuses.subList(2, 4)).containsExactly(401, 200);
    }

    @Test
    void theInterceptorResetsTheSameCallsForTheSameSeedWithoutCallingTheServer() {
        List<Boolean> firstRun = resetsOf50Calls(GremlinInFrontOfAnyServer.clientThatResetsOneCallInTen());
        int servedInFirstRun = itemsServed.get();
        List<Boolean> secondRun = resetsOf50Calls(GremlinInFrontOfAnyServer.clientThatResetsOneCallInTen());

        long resets = firstRun.stream().filter(reset -> reset).count();
        assertThat(resets).isBetween(1L, 20L);
        // a reset before the call never reaches the server
        assertThat(servedInFirstRun).isEqualTo(50 - (int) resets);
        // seed 7 resets exactly the same calls again
        assertThat(secondRun).isEqualTo(firstRun);
    }

    /** For each of 50 calls in a row: whether it ended in a connection reset. */
    private List<Boolean> resetsOf50Calls(OkHttpClient client) {
        List<Boolean> resets = new ArrayList<>();
        try {
            for (int i = 0; i < 50; i++) {
                try (Response response = client.newCall(new Request.Builder()
                                .url(upstream.resolve("/items").toString())
                                .build())
                        .execute()) {
                    assertThat(response.code()).isEqualTo(200);
                    resets.add(false);
                } catch (SocketException reset) {
                    resets.add(true);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
            return resets;
        } finally {
            client.dispatcher().executorService().shutdown();
            client.connectionPool().evictAll();
        }
    }

    private int send(HttpRequest.Builder request) {
        try {
            return http.send(request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.discarding())
                    .statusCode();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static void answer(com.sun.net.httpserver.HttpExchange exchange, int status, String json)
            throws IOException {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, body.length);
        try (var out = exchange.getResponseBody()) {
            out.write(body);
        }
    }
}
