package io.valerix.core.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * Any {@code Valerix-Budget-Ms} value a client can send is a budget the handler sees capped by the
 * server's maximum, a 504 when it is already spent, or a problem+json 400 before the handler runs;
 * never a 5xx from parsing it.
 */
class BudgetHeaderFuzzTest {

    private static final Duration MAX_DEADLINE = Duration.ofSeconds(5);
    private static final AtomicInteger handled = new AtomicInteger();
    private static final AtomicLong lastRemainingMillis = new AtomicLong();
    private static JsonServer server;

    @BeforeAll
    static void start() {
        server = JsonServer.builder()
                .maxDeadline(MAX_DEADLINE)
                .route("PUT", "/work", request -> {
                    handled.incrementAndGet();
                    lastRemainingMillis.set(request.deadline().remaining().toMillis());
                    return Response.json(200, Map.of());
                })
                .build()
                .start();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @FuzzTest(maxDuration = "60s")
    void anyBudgetIsHonouredCappedOrRefusedWithAProblem(byte[] input) {
        String value = fieldValue(input);
        int handledBefore = handled.get();

        RawSocketHttp.Reply reply = RawSocketHttp.send(
                server.uri(),
                "PUT",
                "/work",
                "{}".getBytes(java.nio.charset.StandardCharsets.UTF_8),
                "Content-Type",
                "application/json",
                ValerixHeaders.BUDGET_MS,
                value);

        assertThat(reply.status()).as("budget '%s' -> %s", value, reply).isIn(200, 400, 504);
        if (reply.status() == 200) {
            assertThat(value.strip()).matches("[0-9]+");
            assertThat(lastRemainingMillis.get()).isLessThanOrEqualTo(MAX_DEADLINE.toMillis());
        } else {
            assertThat(reply.contentType()).startsWith(Problem.MEDIA_TYPE);
            assertThat(handled.get())
                    .as("handler calls for refused budget '%s'", value)
                    .isEqualTo(handledBefore);
        }
    }

    /** The fuzz bytes as a header value: visible ASCII, spaces and tabs, as RFC 9110 allows. */
    private static String fieldValue(byte[] input) {
        StringBuilder value = new StringBuilder();
        for (byte b : input) {
            int c = b & 0x7f;
            value.append(c >= 0x20 && c <= 0x7e || c == '\t' ? (char) c : ' ');
        }
        return value.toString();
    }
}
