package io.valerix.gremlin.testing;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.putRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.sun.net.httpserver.HttpServer;
import io.valerix.core.gremlin.DecisionLog;
import io.valerix.core.gremlin.GremlinDecision;
import io.valerix.core.gremlin.GremlinSpec;
import java.io.StringReader;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The JUnit extension's proxy in front of servers that are not Valerix's: WireMock and the JDK HttpServer. */
class GremlinProxyExtensionTest {

    private static final HttpClient HTTP =
            HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    private static int send(URI base, String method, String path) throws Exception {
        return HTTP.send(
                        HttpRequest.newBuilder(URI.create(base + path))
                                .timeout(Duration.ofSeconds(20))
                                .method(method, HttpRequest.BodyPublishers.ofString("x"))
                                .build(),
                        HttpResponse.BodyHandlers.discarding())
                .statusCode();
    }

    @Nested
    class InFrontOfWireMock {

        static WireMockServer wireMock;
        static Path saved;

        @BeforeAll
        static void startWireMock() throws Exception {
            wireMock = new WireMockServer(wireMockConfig().dynamicPort().bindAddress("127.0.0.1"));
            wireMock.start();
            wireMock.stubFor(
                    any(anyUrl()).willReturn(aResponse().withStatus(200).withBody("stubbed")));
            saved = Files.createTempDirectory("gremlin-decisions");
        }

        @AfterAll
        static void stopWireMock() throws Exception {
            wireMock.stop();
            // The extension saved each test's decisions after it, as a log DecisionLog can read back.
            Path file = saved.resolve(InFrontOfWireMock.class.getName()
                    + ".aFaultAfterTheStubAnsweredReachesWireMockButNotTheClient.jsonl");
            assertThat(DecisionLog.read(Files.newBufferedReader(file))).hasSize(2);
        }

        @RegisterExtension
        final GremlinProxyExtension gremlin = GremlinProxyExtension.inFrontOf(() -> wireMock.baseUrl())
                .spec("error(503) after route=\"PUT /items/*\"")
                .seed(5)
                .saveDecisionsTo(saved)
                .build();

        @Test
        void aFaultAfterTheStubAnsweredReachesWireMockButNotTheClient() throws Exception {
            int put = send(gremlin.uri(), "PUT", "/items/1");
            int get = send(gremlin.uri(), "GET", "/items/1");

            assertThat(put).isEqualTo(503);
            assertThat(get).isEqualTo(200);
            wireMock.verify(putRequestedFor(urlEqualTo("/items/1")));
            List<GremlinDecision> decisions = gremlin.decisions();
            assertThat(decisions).extracting(GremlinDecision::method).containsExactly("PUT", "GET");
            assertThat(decisions.get(0).fault()).isPresent();
            assertThat(DecisionLog.read(new StringReader(gremlin.decisionLog())))
                    .isEqualTo(decisions);
        }

        @Test
        void eachTestStartsAFreshGremlinFromTheSpecAndSeed() throws Exception {
            gremlin.gremlin().replaceSpec(GremlinSpec.parse("error(418)"));

            assertThat(send(gremlin.uri(), "GET", "/items/2")).isEqualTo(418);
            assertThat(gremlin.decisions())
                    .hasSize(1)
                    .first()
                    .extracting(GremlinDecision::request)
                    .isEqualTo(1L);
        }
    }

    @Nested
    class InFrontOfTheJdkHttpServer {

        static HttpServer server;
        static final AtomicInteger writes = new AtomicInteger();

        @BeforeAll
        static void startServer() throws Exception {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            server.createContext("/", exchange -> {
                if (exchange.getRequestMethod().equals("PUT")) {
                    writes.incrementAndGet();
                }
                exchange.getRequestBody().readAllBytes();
                exchange.sendResponseHeaders(204, -1);
                exchange.close();
            });
            server.start();
        }

        @AfterAll
        static void stopServer() {
            server.stop(0);
        }

        @RegisterExtension
        final GremlinProxyExtension gremlin = GremlinProxyExtension.inFrontOf(
                        () -> "http://127.0.0.1:" + server.getAddress().getPort())
                .spec("reset before route=\"PUT /items/*\"")
                .build();

        @Test
        void aResetBeforeTheServerKeepsTheWriteFromHappening() throws Exception {
            int before = writes.get();

            org.assertj.core.api.Assertions.assertThatThrownBy(() -> send(gremlin.uri(), "PUT", "/items/1"))
                    .isInstanceOf(java.io.IOException.class);

            assertThat(writes).hasValue(before);
            assertThat(send(gremlin.uri(), "GET", "/items/1")).isEqualTo(204);
        }
    }
}
