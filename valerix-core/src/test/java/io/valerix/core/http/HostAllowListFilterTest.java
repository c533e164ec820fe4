package io.valerix.core.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.valerix.core.testing.RawHttp;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@link HostAllowListFilter} on a real server: which {@code Host} values reach the route. */
class HostAllowListFilterTest {

    private final AtomicInteger reached = new AtomicInteger();

    private JsonServer server(HostAllowListFilter filter) {
        return JsonServer.builder()
                .filter(filter)
                .route("GET", "/thing", request -> {
                    reached.incrementAndGet();
                    return Response.json(200, java.util.Map.of("ok", true));
                })
                .build()
                .start();
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "127.0.0.1",
                "127.0.0.1:8080",
                "localhost",
                "LocalHost:1",
                "[::1]",
                "[::1]:65535",
                "orders.internal",
                "ORDERS.internal:80"
            })
    void loopbackAndConfiguredNamesReachTheRoute(String host) {
        try (JsonServer server = server(HostAllowListFilter.allowing(Set.of("orders.internal")))) {
            RawHttp.Reply reply = RawHttp.send(server.uri(), "GET", "/thing", null, null, "Host", host);

            assertThat(reply.status()).isEqualTo(200);
            assertThat(reached).hasValue(1);
        }
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "evil.example",
                "evil.example:8080",
                "localhost.evil.example",
                "127.0.0.1.nip.io",
                "127.0.0.2",
                "[::2]",
                "localhost."
            })
    void anyOtherHostIs421ProblemAndNeverReachesTheRoute(String host) {
        try (JsonServer server = server(HostAllowListFilter.loopback())) {
            RawHttp.Reply reply = RawHttp.send(server.uri(), "GET", "/thing", null, null, "Host", host);

            assertThat(reply.status()).isEqualTo(421);
            assertThat(reply.contentType()).isEqualTo("application/problem+json");
            assertThat(reply.json().path("type").asText()).isEqualTo("urn:valerix:problem:host-not-allowed");
            assertThat(reached).hasValue(0);
        }
    }

    /** Not a host at all: Jetty's parser refuses these (RFC 9112 §3.2) before any filter runs. */
    @ParameterizedTest
    @ValueSource(strings = {"localhost:", "localhost:http", "localhost:8080:9", "[::1", "[::1]x", "local host"})
    void aMalformedHostIs400ProblemAndNeverReachesTheRoute(String host) {
        try (JsonServer server = server(HostAllowListFilter.loopback())) {
            RawHttp.Reply reply = RawHttp.send(server.uri(), "GET", "/thing", null, null, "Host", host);

            assertThat(reply.status()).isEqualTo(400);
            assertThat(reply.contentType()).isEqualTo("application/problem+json");
            assertThat(reached).hasValue(0);
        }
    }

    @Test
    void aRequestWithoutHostIsRefused() throws IOException {
        try (JsonServer server = server(HostAllowListFilter.loopback());
                Socket socket = new Socket(server.uri().getHost(), server.port())) {
            OutputStream out = socket.getOutputStream();
            out.write("GET /thing HTTP/1.0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            String answer = new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);

            assertThat(answer).startsWith("HTTP/1.1 421").contains("host-not-allowed");
            assertThat(reached).hasValue(0);
        }
    }

    @Test
    void aConfiguredNameThatIsNotAHostIsRefusedOnCreation() {
        assertThatThrownBy(() -> HostAllowListFilter.allowing(Set.of("orders.internal:8080")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("orders.internal:8080");
        assertThatThrownBy(() -> HostAllowListFilter.allowing(Set.of("http://orders.internal")))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
