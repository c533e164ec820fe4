package io.valerix.harness.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.valerix.core.deadline.Deadline;
import io.valerix.core.http.Filter;
import io.valerix.core.http.Request;
import io.valerix.harness.cli.ExitCodes;
import io.valerix.harness.cli.ValerixCli;
import io.valerix.harness.report.RunFiles;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The broken variant of the multi-instance run: two order instances on one order database, the
 * second one without working idempotency (a request whose key was seen before runs again as a new
 * order, as an instance with its idempotency store off and no unique order id would). The client
 * spreads duplicates and retries over both, so the check must catch it: FAIL, duplicated.
 */
@Tag("slow")
class ChaosCatchesAnInstanceWithoutIdempotencyTest {

    @TempDir
    Path dir;

    @Test
    void aSecondInstanceThatRunsReplaysAgainFailsTheVerdictAsDuplicated() throws Exception {
        Path runDir = dir.resolve("run");
        Set<String> seen = ConcurrentHashMap.newKeySet();
        AtomicLong again = new AtomicLong();
        // Both instances remember the keys they are sent, as a shared idempotency store would.
        Filter remembers = (request, next) -> {
            request.header("Idempotency-Key").ifPresent(key -> seen.add(unquoted(key)));
            return next.handle(request);
        };
        // The broken one runs a replay as a fresh order.
        Filter forgets = (request, next) -> {
            Optional<String> key =
                    request.header("Idempotency-Key").map(ChaosCatchesAnInstanceWithoutIdempotencyTest::unquoted);
            if (request.method().equals("POST") && key.isPresent() && !seen.add(key.get())) {
                return next.handle(new FreshOrder(request, key.get() + "-again-" + again.incrementAndGet()));
            }
            return next.handle(request);
        };
        try (BrokenServices services = new BrokenServices(dir, inventory -> inventory, null, remembers)) {
            services.addOrderInstance(forgets);

            int exit = ValerixCli.execute(services.chaosArgs(runDir, "--duplicates", "40%"));

            JsonNode summary =
                    RunFiles.mapper().readTree(runDir.resolve(RunFiles.SUMMARY).toFile());
            assertThat(exit).as("summary %s", summary).isEqualTo(ExitCodes.FAILED_VERDICT);
            assertThat(again.get()).as("replays reached the broken instance").isPositive();
            assertThat(summary.path("verdict").asText()).isEqualTo("FAIL");
            assertThat(summary.path("duplicated").asLong()).isPositive();
            assertThat(summary.path("findings").findValuesAsText("subject")).anyMatch(id -> id.contains("-again-"));
        }
    }

    private static String unquoted(String key) {
        return key.startsWith("\"") && key.endsWith("\"") && key.length() > 1
                ? key.substring(1, key.length() - 1)
                : key;
    }

    /** The request with another order id, in its key and its body. */
    private record FreshOrder(Request request, String orderId) implements Request {
        @Override
        public String method() {
            return request.method();
        }

        @Override
        public String path() {
            return request.path();
        }

        @Override
        public String route() {
            return request.route();
        }

        @Override
        public String pathParam(String name) {
            return request.pathParam(name);
        }

        @Override
        public Optional<String> queryParam(String name) {
            return request.queryParam(name);
        }

        @Override
        public Optional<String> header(String name) {
            return name.equalsIgnoreCase("Idempotency-Key") ? Optional.of(orderId) : request.header(name);
        }

        @Override
        public Map<String, List<String>> headers() {
            Map<String, List<String>> headers = new java.util.TreeMap<>(String.CASE_INSENSITIVE_ORDER);
            headers.putAll(request.headers());
            headers.put("Idempotency-Key", List.of(orderId));
            return headers;
        }

        @Override
        public byte[] body() {
            try {
                ObjectNode body = (ObjectNode) RunFiles.mapper().readTree(request.body());
                body.put("orderId", orderId);
                return RunFiles.mapper().writeValueAsString(body).getBytes(StandardCharsets.UTF_8);
            } catch (java.io.IOException e) {
                return request.body();
            }
        }

        @Override
        public <T> T bodyAs(Class<T> type) {
            try {
                return RunFiles.mapper().readValue(body(), type);
            } catch (java.io.IOException e) {
                return request.bodyAs(type);
            }
        }

        @Override
        public Deadline deadline() {
            return request.deadline();
        }

        @Override
        public InetSocketAddress remoteAddress() {
            return request.remoteAddress();
        }

        @Override
        public Map<String, Object> attributes() {
            return request.attributes();
        }
    }
}
