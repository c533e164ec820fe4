package io.valerix.gremlin.testing;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.valerix.core.gremlin.Gremlin;
import io.valerix.core.gremlin.GremlinSpec;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** WireMock (standalone, on a real port) answering with the gremlin's seeded delays and faults. */
class GremlinWireMockTest {

    private final HttpClient http =
            HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final List<WireMockServer> servers = new ArrayList<>();

    @AfterEach
    void stop() {
        servers.forEach(WireMockServer::stop);
    }

    private WireMockServer wireMock(String spec, long seed) {
        WireMockServer server = new WireMockServer(wireMockConfig()
                .dynamicPort()
                .bindAddress("127.0.0.1")
                .extensions(GremlinWireMock.of(
                        Gremlin.builder(seed).spec(GremlinSpec.parse(spec)).build())));
        server.start();
        servers.add(server);
        server.stubFor(any(anyUrl())
                .willReturn(aResponse()
                        .withStatus(200)
                        .withHeader("Content-Type", "application/json")
                        .withBody("{\"stub\":\"" + "x".repeat(200) + "\"}")));
        return server;
    }

    private HttpResponse<String> send(WireMockServer server, String method, String path) throws Exception {
        return http.send(
                HttpRequest.newBuilder(URI.create(server.baseUrl() + path))
                        .timeout(Duration.ofSeconds(20))
                        .method(method, HttpRequest.BodyPublishers.noBody())
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void anErrorRuleAnswersItsStatusOnItsRouteOnly() throws Exception {
        WireMockServer server = wireMock("error(503) route=\"PUT /items/*\"", 1);

        HttpResponse<String> put = send(server, "PUT", "/items/1?x=1");
        HttpResponse<String> get = send(server, "GET", "/items/1");

        assertThat(put.statusCode()).isEqualTo(503);
        assertThat(put.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(put.body()).contains("gremlin-injected");
        assertThat(get.statusCode()).isEqualTo(200);
        assertThat(get.body()).startsWith("{\"stub\"");
    }

    @Test
    void aResetDropsTheConnection() {
        WireMockServer server = wireMock("reset", 1);

        assertThatThrownBy(() -> send(server, "GET", "/items/1")).isInstanceOf(IOException.class);
    }

    @Test
    void aDelayHoldsTheAnswerAtLeastThatLong() throws Exception {
        WireMockServer server = wireMock("fixed(500ms) after", 1);
        long start = System.nanoTime();

        HttpResponse<String> answer = send(server, "GET", "/items/1");

        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(500));
    }

    @Test
    void aSlowBodyArrivesWholeButNoSoonerThanItsDuration() throws Exception {
        WireMockServer server = wireMock("slowbody(500ms)", 1);
        long start = System.nanoTime();

        HttpResponse<String> answer = send(server, "GET", "/items/1");

        assertThat(answer.body()).isEqualTo("{\"stub\":\"" + "x".repeat(200) + "\"}");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(400));
    }

    @Test
    void theSameSeedGivesTheSameFaults() throws Exception {
        List<List<Integer>> runs = new ArrayList<>();
        for (int run = 0; run < 2; run++) {
            WireMockServer server = wireMock("error(500) p=0.5", 77);
            List<Integer> statuses = new ArrayList<>();
            for (int i = 0; i < 16; i++) {
                statuses.add(send(server, "GET", "/items/" + i).statusCode());
            }
            runs.add(statuses);
        }

        assertThat(runs.get(0)).contains(200, 500).isEqualTo(runs.get(1));
    }
}
