package io.valerix.order;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import io.valerix.core.deadline.Deadline;
import io.valerix.core.http.ProblemType;
import io.valerix.inventory.InventoryProblems;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * How the order service reads inventory's 4xx answers: a refusal only for a problem after which
 * inventory has changed nothing, and an unknown outcome, on purpose, for any other. The inventory
 * here is the JDK's HTTP server answering one canned problem, standing in for inventory or for
 * whatever sits on the link.
 */
class InventoryAnswerClassificationTest {

    private static final AtomicReference<String[]> answer = new AtomicReference<>();
    private static HttpServer inventory;
    private static HttpInventoryClient client;

    @BeforeAll
    static void start() throws IOException {
        inventory = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        inventory.createContext("/", exchange -> {
            String[] typeAndStatus = answer.get();
            byte[] body = ("{\"type\":\"" + typeAndStatus[0] + "\",\"title\":\"canned\",\"status\":" + typeAndStatus[1]
                            + "}")
                    .getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/problem+json");
            exchange.sendResponseHeaders(Integer.parseInt(typeAndStatus[1]), body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        inventory.start();
        URI uri = URI.create("http://127.0.0.1:" + inventory.getAddress().getPort());
        client = new HttpInventoryClient(uri, ServiceTokens.SERVICE_TOKEN, (dependency, route, outcome, nanos) -> {});
    }

    @AfterAll
    static void stop() {
        inventory.stop(0);
    }

    static Stream<ProblemType> nothingChanged() {
        return InventoryProblems.NOTHING_CHANGED.stream();
    }

    @ParameterizedTest
    @MethodSource("nothingChanged")
    void aProblemAfterWhichInventoryChangedNothingIsARefusal(ProblemType problem) {
        answer.set(new String[] {problem.type().toString(), String.valueOf(problem.status())});

        assertThatThrownBy(() -> client.reserve("order-1", "widget", 1, Deadline.after(Duration.ofSeconds(30))))
                .isInstanceOf(InventoryRefusedException.class);
    }

    @Test
    void anUnknownClientErrorLeavesTheOutcomeUnknownOnPurpose() {
        // A type no Valerix inventory sends (a newer inventory's, or a proxy's): it may have come after the stock was
        // taken.
        answer.set(new String[] {"urn:valerix:problem:stock-frozen", "409"});

        assertThatThrownBy(() -> client.reserve("order-2", "widget", 1, Deadline.after(Duration.ofSeconds(30))))
                .isInstanceOf(InventoryUnavailableException.class);
    }

    @Test
    void aKnownTypeWithAServerErrorStatusIsNoRefusal() {
        answer.set(new String[] {InventoryProblems.RESERVATION_CONFLICT.type().toString(), "503"});

        assertThatThrownBy(() -> client.reserve("order-3", "widget", 1, Deadline.after(Duration.ofSeconds(30))))
                .isInstanceOf(InventoryUnavailableException.class);
    }
}
