package io.valerix.core.gremlin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The gremlin proxy in front of a server that is not Valerix's (the JDK HttpServer). */
class GremlinProxyTest {

    private static final String TOKEN = "proxy-admin-token-0123456789";

    private final HttpClient http =
            HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final List<AutoCloseable> open = new ArrayList<>();
    private JdkUpstream upstream;

    @BeforeEach
    void startUpstream() throws IOException {
        upstream = new JdkUpstream();
        open.add(upstream);
    }

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable c : open.reversed()) {
            c.close();
        }
    }

    private GremlinProxy proxy(String spec, long seed, String adminToken) {
        GremlinProxy.Builder builder = GremlinProxy.builder(upstream.uri())
                .gremlin(Gremlin.builder(seed).spec(GremlinSpec.parse(spec)).build());
        if (adminToken != null) {
            builder.adminToken(adminToken);
        }
        GremlinProxy proxy = builder.build().start();
        open.add(proxy);
        return proxy;
    }

    private HttpResponse<String> send(URI base, String method, String target, String body, String... headers)
            throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + target))
                .timeout(Duration.ofSeconds(20))
                .method(
                        method,
                        body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void withoutInjectionTheUpstreamSeesTheRequestAndTheClientItsAnswer() throws Exception {
        GremlinProxy proxy = proxy("none", 1, null);

        HttpResponse<String> answer = send(
                proxy.uri(),
                "POST",
                "/created/%2Fx?q=a%20b&r=1",
                "{\"a\":1}",
                "X-Trace",
                "t-1",
                "Content-Type",
                "application/json");

        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(answer.headers().firstValue("X-Upstream")).hasValue("jdk");
        assertThat(answer.body())
                .contains(
                        "\"method\":\"POST\"",
                        "\"path\":\"/created/%2Fx\"",
                        "\"query\":\"q=a%20b&r=1\"",
                        "\"trace\":\"t-1\"",
                        "\"body\":\"{'a':1}\"");
        assertThat(send(proxy.uri(), "GET", "/created", null).statusCode()).isEqualTo(201);
    }

    @Test
    void aFaultAfterTheUpstreamAnsweredLetsTheWorkHappenButTheClientSeesTheError() throws Exception {
        GremlinProxy proxy = proxy("error(503) after route=\"PUT /items/*\"", 1, null);

        HttpResponse<String> write = send(proxy.uri(), "PUT", "/items/1", "x");
        HttpResponse<String> read = send(proxy.uri(), "GET", "/items/1", null);

        assertThat(write.statusCode()).isEqualTo(503);
        assertThat(write.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(upstream.writes).hasValue(1);
        assertThat(read.statusCode()).isEqualTo(200);
    }

    @Test
    void aResetBeforeTheUpstreamNeverReachesItAndDropsTheConnection() throws Exception {
        GremlinProxy proxy = proxy("reset before route=\"PUT /items/*\"", 1, null);

        assertThatThrownBy(() -> send(proxy.uri(), "PUT", "/items/1", "x")).isInstanceOf(IOException.class);

        assertThat(upstream.writes).hasValue(0);
        assertThat(send(proxy.uri(), "GET", "/items/1", null).statusCode()).isEqualTo(200);
    }

    @Test
    void aSlowBodyArrivesWholeButNoSoonerThanItsDuration() throws Exception {
        GremlinProxy proxy = proxy("slowbody(600ms)", 1, null);
        long start = System.nanoTime();

        HttpResponse<String> answer = send(proxy.uri(), "GET", "/items/1", null);

        assertThat(answer.body()).endsWith("}").contains("\"path\":\"/items/1\"");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(500));
    }

    @Test
    void theSameSeedGivesTheSameFaultsAndTheSameDecisionLog() throws Exception {
        List<List<Integer>> statuses = new ArrayList<>();
        List<String> logs = new ArrayList<>();
        for (int run = 0; run < 2; run++) {
            StringWriter log = new StringWriter();
            GremlinProxy proxy = GremlinProxy.builder(upstream.uri())
                    .gremlin(Gremlin.builder(99)
                            .spec(GremlinSpec.parse("error(500) p=0.5"))
                            .listener(DecisionLog.writingTo(log))
                            .build())
                    .build()
                    .start();
            open.add(proxy);
            List<Integer> seen = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                seen.add(send(proxy.uri(), "GET", "/items/" + i, null).statusCode());
            }
            statuses.add(seen);
            logs.add(log.toString());
        }

        assertThat(statuses.get(0)).contains(200, 500).isEqualTo(statuses.get(1));
        assertThat(logs.get(0)).isEqualTo(logs.get(1)).contains("\"path\":\"/items/19\"");
    }

    @Test
    void theAdminRouteNeedsTheTokenAndIsNeverForwarded() throws Exception {
        GremlinProxy proxy = proxy("none", 1, TOKEN);

        HttpResponse<String> anonymous =
                send(proxy.uri(), "PUT", "/admin/gremlin", "error(418)", "Content-Type", "text/plain");
        HttpResponse<String> admin = send(
                proxy.uri(),
                "PUT",
                "/admin/gremlin",
                "error(418)",
                "Content-Type",
                "text/plain",
                "Authorization",
                "Bearer " + TOKEN);
        HttpResponse<String> view =
                send(proxy.uri(), "GET", "/admin/gremlin", null, "Authorization", "Bearer " + TOKEN);

        assertThat(anonymous.statusCode()).isEqualTo(401);
        assertThat(admin.statusCode()).isEqualTo(200);
        assertThat(view.body()).contains("error(418)");
        assertThat(upstream.requests).hasValue(0);
        assertThat(send(proxy.uri(), "GET", "/items/1", null).statusCode()).isEqualTo(418);
    }

    @Test
    void anUpstreamThatIsGoneIsA502Problem() throws Exception {
        GremlinProxy proxy = proxy("none", 1, null);
        upstream.close();

        HttpResponse<String> answer = send(proxy.uri(), "GET", "/items/1", null);

        assertThat(answer.statusCode()).isEqualTo(502);
        assertThat(answer.body()).contains("urn:valerix:problem:upstream-unreachable");
    }

    @Test
    void anUpstreamThatIsNotAnHttpUriIsRefused() {
        assertThatThrownBy(
                        () -> GremlinProxy.builder(URI.create("ftp://example")).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("upstream must be an http(s) URI");
    }
}
