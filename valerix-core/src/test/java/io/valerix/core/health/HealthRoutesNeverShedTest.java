package io.valerix.core.health;

import static org.assertj.core.api.Assertions.assertThat;

import io.valerix.core.gremlin.Gremlin;
import io.valerix.core.gremlin.GremlinFilter;
import io.valerix.core.gremlin.GremlinSpec;
import io.valerix.core.http.JsonServer;
import io.valerix.core.http.Response;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import org.junit.jupiter.api.Test;

/** {@code /health/live} and {@code /health/ready} are operator paths: never shed, never slowed by the gremlin. */
class HealthRoutesNeverShedTest {

    private static final OkHttpClient HTTP = new OkHttpClient.Builder()
            .retryOnConnectionFailure(false)
            .callTimeout(Duration.ofSeconds(20))
            .build();

    @Test
    void liveAndReadyAnswerWhileEveryRequestSlotIsTaken() throws Exception {
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        try (Readiness readiness = Readiness.builder()
                .check("database", HealthCheck.Result::up)
                .build()
                .start()) {
            JsonServer.Builder builder = JsonServer.builder().maxInFlight(1).route("GET", "/work", request -> {
                entered.countDown();
                release.await();
                return Response.json(200, Map.of("done", true));
            });
            readiness.install(builder);
            try (JsonServer server = builder.build().start()) {
                Thread.ofVirtual().start(() -> get(server.uri(), "/work"));
                assertThat(entered.await(30, TimeUnit.SECONDS)).isTrue();

                assertThat(get(server.uri(), "/work")).isEqualTo(503);
                assertThat(get(server.uri(), "/health/live")).isEqualTo(200);
                assertThat(get(server.uri(), "/health/ready")).isEqualTo(200);
            } finally {
                release.countDown();
            }
        }
    }

    @Test
    void theGremlinNeverDelaysLiveOrReady() throws Exception {
        // A minute's delay on every request: a probe it touched would outlast the client's 20 s.
        Gremlin gremlin =
                Gremlin.builder(1).spec(GremlinSpec.parse("fixed(60s)")).build();
        try (Readiness readiness = Readiness.builder()
                .check("database", HealthCheck.Result::up)
                .build()
                .start()) {
            JsonServer.Builder builder = JsonServer.builder().filter(GremlinFilter.of(gremlin));
            readiness.install(builder);
            try (JsonServer server = builder.build().start()) {
                assertThat(get(server.uri(), "/health/live")).isEqualTo(200);
                assertThat(get(server.uri(), "/health/ready")).isEqualTo(200);
                assertThat(gremlin.counts().decisions()).isZero();
            }
        }
    }

    private static int get(URI base, String path) {
        try (okhttp3.Response response = HTTP.newCall(
                        new Request.Builder().url(base.resolve(path).toString()).build())
                .execute()) {
            return response.code();
        } catch (IOException e) {
            return -1;
        }
    }
}
