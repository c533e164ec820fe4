package io.valerix.core.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.valerix.core.http.internal.PathCodec;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * Any request target a client can put on the wire is routed (its path parameters decoded the way
 * {@link PathCodec} encodes them) or refused with a problem+json 4xx before any handler runs; never
 * a 5xx, never a handler called for a refused request.
 */
class RequestTargetFuzzTest {

    private static final String[] METHODS = {"GET", "PUT", "DELETE", "POST"};
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final AtomicInteger handled = new AtomicInteger();
    private static JsonServer server;

    @BeforeAll
    static void start() {
        server = JsonServer.builder()
                .route("GET", "/items/{id}", RequestTargetFuzzTest::echo)
                .route("PUT", "/items/{id}", RequestTargetFuzzTest::echo)
                .route("GET", "/items/{id}/parts/{part}", RequestTargetFuzzTest::echo)
                .build()
                .start();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static Response echo(Request request) {
        handled.incrementAndGet();
        String part = request.route().endsWith("{part}") ? request.pathParam("part") : "";
        return Response.json(200, Map.of("id", request.pathParam("id"), "part", part));
    }

    @FuzzTest(maxDuration = "60s")
    void anyRequestTargetIsRoutedOrRefusedWithAProblem(byte[] input) throws Exception {
        if (input.length == 0) {
            return;
        }
        String method = METHODS[(input[0] & 0xff) % METHODS.length];
        String target = "/" + visibleAscii(input);
        int handledBefore = handled.get();

        RawSocketHttp.Reply reply = RawSocketHttp.send(
                server.uri(),
                method,
                target,
                method.equals("PUT") ? "{}".getBytes(java.nio.charset.StandardCharsets.UTF_8) : null,
                "Content-Type",
                "application/json");

        assertThat(reply.status()).as("%s %s -> %s", method, target, reply).isBetween(200, 499);
        if (reply.status() >= 400) {
            assertThat(reply.contentType())
                    .as("%s %s -> %s", method, target, reply)
                    .startsWith(Problem.MEDIA_TYPE);
            assertThat(handled.get())
                    .as("handler calls for refused %s %s", method, target)
                    .isEqualTo(handledBefore);
            return;
        }
        // A routed request: its decoded id, encoded again, reaches the same route with the same id.
        String id = JSON.readTree(reply.body()).path("id").asText();
        RawSocketHttp.Reply again = RawSocketHttp.send(server.uri(), "GET", "/items/" + PathCodec.encode(id), null);
        assertThat(again.status()).as("GET /items/%s", PathCodec.encode(id)).isEqualTo(200);
        assertThat(JSON.readTree(again.body()).path("id").asText()).isEqualTo(id);
    }

    /** The fuzz bytes as a request target: visible ASCII only, as RFC 9112 allows on the wire. */
    private static String visibleAscii(byte[] input) {
        StringBuilder target = new StringBuilder();
        for (int i = 1; i < input.length; i++) {
            int c = input[i] & 0x7f;
            target.append(c >= 0x21 && c <= 0x7e ? (char) c : '%');
        }
        return target.toString();
    }
}
