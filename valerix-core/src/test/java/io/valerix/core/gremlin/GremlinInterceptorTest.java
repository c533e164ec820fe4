package io.valerix.core.gremlin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.SocketException;
import java.time.Duration;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The gremlin as an OkHttp interceptor, calling a server that is not Valerix's (the JDK HttpServer). */
class GremlinInterceptorTest {

    private JdkUpstream upstream;

    @BeforeEach
    void start() throws IOException {
        upstream = new JdkUpstream();
    }

    @AfterEach
    void stop() {
        upstream.close();
    }

    private OkHttpClient client(String spec, Duration callTimeout) {
        return new OkHttpClient.Builder()
                .addInterceptor(GremlinInterceptor.of(
                        Gremlin.builder(5).spec(GremlinSpec.parse(spec)).build()))
                .callTimeout(callTimeout)
                .build();
    }

    private Request put(String path) {
        return new Request.Builder()
                .url(upstream.uri() + path)
                .put(RequestBody.create(new byte[] {1}))
                .build();
    }

    @Test
    void anErrorBeforeAnswersWithoutCallingTheServer() throws IOException {
        try (Response response = client("error(503) before", Duration.ofSeconds(10))
                .newCall(put("/items/1"))
                .execute()) {
            assertThat(response.code()).isEqualTo(503);
            assertThat(response.header("Content-Type")).isEqualTo("application/problem+json");
            assertThat(response.body().string()).contains("gremlin-injected");
        }
        assertThat(upstream.requests).hasValue(0);
    }

    @Test
    void aResetAfterLetsTheServerDoTheWorkAndTheClientSeesADroppedConnection() {
        OkHttpClient client = client("reset after route=\"PUT /items/*\"", Duration.ofSeconds(10));

        assertThatThrownBy(() -> client.newCall(put("/items/1")).execute()).isInstanceOf(SocketException.class);

        assertThat(upstream.writes).hasValue(1);
    }

    @Test
    void aDelayAfterTheAnswerEndsWithTheCallsTimeoutOnceTheWorkIsDone() {
        // The call timeout is far shorter than the delay but long enough for the server to answer first
        // on a loaded machine.
        OkHttpClient client = client("fixed(60s) after", Duration.ofSeconds(3));
        long start = System.nanoTime();

        assertThatThrownBy(() -> client.newCall(put("/items/1")).execute()).isInstanceOf(IOException.class);

        assertThat(upstream.writes).hasValue(1);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(30));
    }

    @Test
    void noResponseHoldsUntilTheCallTimeoutThenTimesOut() {
        OkHttpClient client = client("noresponse(20s) before", Duration.ofMillis(300));

        assertThatThrownBy(() -> client.newCall(put("/items/1")).execute()).isInstanceOf(InterruptedIOException.class);

        assertThat(upstream.requests).hasValue(0);
    }

    @Test
    void aSlowBodyArrivesWholeButNoSoonerThanItsDuration() throws IOException {
        long start = System.nanoTime();
        try (Response response = client("slowbody(500ms)", Duration.ofSeconds(10))
                .newCall(new Request.Builder().url(upstream.uri() + "/items/7").build())
                .execute()) {
            assertThat(response.body().string())
                    .contains("\"path\":\"/items/7\"")
                    .endsWith("}");
        }
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(400));
    }
}
