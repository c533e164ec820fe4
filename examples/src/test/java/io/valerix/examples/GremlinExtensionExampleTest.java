package io.valerix.examples;

// snippet:start gremlin-extension-imports
import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.valerix.core.deadline.Deadline;
import io.valerix.core.deadline.DeadlineExceededException;
import io.valerix.core.gremlin.InjectionPhase;
import io.valerix.core.http.JsonClient;
import io.valerix.core.http.JsonRequest;
import io.valerix.gremlin.testing.GremlinProxyExtension;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
// snippet:end gremlin-extension-imports

/**
 * The gremlin in front of somebody else's server in a test: a WireMock stub of a rates service,
 * made slow by a seeded gremlin proxy, and the code under test (a JSON client with a deadline)
 * that must give up in time. The decisions the proxy took are the test's to read.
 */
class GremlinExtensionExampleTest {

    static WireMockServer rates;

    @BeforeAll
    static void startStub() {
        rates = new WireMockServer(wireMockConfig().dynamicPort().bindAddress("127.0.0.1"));
        rates.start();
        rates.stubFor(get(urlPathMatching("/rates/.*"))
                .willReturn(aResponse()
                        .withHeader("Content-Type", "application/json")
                        .withBody("{\"pair\":\"EURUSD\",\"rate\":1.08}")));
    }

    @AfterAll
    static void stopStub() {
        rates.stop();
    }

    // snippet:start gremlin-extension
    @RegisterExtension
    final GremlinProxyExtension gremlin = GremlinProxyExtension.inFrontOf(() -> rates.baseUrl())
            .spec("fixed(2s) route=\"GET /rates/*\"")
            .seed(7)
            .build();

    @Test
    void aSlowRatesServiceCostsTheCallerNoMoreThanItsDeadline() {
        JsonClient client = JsonClient.builder(gremlin.uri()).name("rates").build(); // the code under test

        assertThatThrownBy(() -> client.send(
                        JsonRequest.get("/rates/{pair}", "EURUSD"), Map.class, Deadline.after(Duration.ofMillis(200))))
                .isInstanceOf(DeadlineExceededException.class);
        assertThat(gremlin.decisions())
                .singleElement()
                .satisfies(decision ->
                        assertThat(decision.delay(InjectionPhase.BEFORE)).isEqualTo(Duration.ofSeconds(2)));
    }
    // snippet:end gremlin-extension

    @Test
    void withTheGremlinQuietTheStubAnswers() {
        gremlin.gremlin().replaceSpec(io.valerix.core.gremlin.GremlinSpec.none());
        JsonClient client = JsonClient.builder(gremlin.uri()).name("rates").build();

        Map<?, ?> rate = client.send(
                        JsonRequest.get("/rates/{pair}", "EURUSD"), Map.class, Deadline.after(Duration.ofSeconds(30)))
                .body();

        assertThat(rate.get("pair")).isEqualTo("EURUSD");
    }
}
