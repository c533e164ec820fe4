package io.valerix.examples;

// snippet:start gremlin-wiremock-imports
import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.valerix.core.gremlin.Gremlin;
import io.valerix.core.gremlin.GremlinSpec;
import io.valerix.gremlin.testing.GremlinWireMock;
import java.io.IOException;
import java.time.Duration;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.Test;
// snippet:end gremlin-wiremock-imports

/**
 * WireMock stubs that take the gremlin's seeded delays and resets, through the WireMock extension
 * (a test tool, so this example is a test). docs/gremlin.md shows its region.
 */
class GremlinWireMockExampleTest {

    @Test
    void aStubTakesTheGremlinsSeededDelaysAndResets() {
        // snippet:start gremlin-wiremock
        Gremlin gremlin = Gremlin.builder(42)
                .spec(GremlinSpec.parse("uniform(0ms,200ms) p=0.5; reset p=0.1"))
                .build();
        WireMockServer payments = new WireMockServer(
                wireMockConfig().bindAddress("127.0.0.1").dynamicPort().extensions(GremlinWireMock.of(gremlin)));
        // snippet:end gremlin-wiremock
        payments.start();
        try {
            checkThatTheStubTakesTheGremlin(payments, gremlin);
        } finally {
            payments.stop();
        }
    }

    private static void checkThatTheStubTakesTheGremlin(WireMockServer payments, Gremlin gremlin) {
        payments.stubFor(get(urlEqualTo("/payments/p-1"))
                .willReturn(aResponse().withStatus(200).withBody("{\"paid\":true}")));
        // no retries on a reset, so each reset shows as one failed call
        OkHttpClient client = new OkHttpClient.Builder()
                .retryOnConnectionFailure(false)
                .callTimeout(Duration.ofSeconds(30))
                .build();

        int failed = 0;
        int answered = 0;
        try {
            for (int i = 0; i < 30; i++) {
                try (Response response = client.newCall(new Request.Builder()
                                .url(payments.baseUrl() + "/payments/p-1")
                                .build())
                        .execute()) {
                    assertThat(response.code()).isEqualTo(200);
                    answered++;
                } catch (IOException reset) {
                    failed++;
                }
            }
        } finally {
            client.dispatcher().executorService().shutdown();
            client.connectionPool().evictAll();
        }

        // every request was decided by the gremlin; its resets are exactly the failed calls
        assertThat(gremlin.counts().decisions()).isEqualTo(30);
        assertThat(gremlin.counts().resets()).isPositive().isEqualTo(failed);
        assertThat(gremlin.counts().delayedBefore() + gremlin.counts().delayedAfter())
                .isPositive();
        assertThat(answered).isEqualTo(30 - failed);
        payments.verify(30, getRequestedFor(urlEqualTo("/payments/p-1")));
    }
}
