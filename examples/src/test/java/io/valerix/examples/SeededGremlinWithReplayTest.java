package io.valerix.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.valerix.core.gremlin.DecisionLog;
import io.valerix.core.gremlin.Gremlin;
import io.valerix.core.gremlin.GremlinDecision;
import io.valerix.core.gremlin.GremlinFilter;
import io.valerix.core.gremlin.GremlinSpec;
import io.valerix.core.gremlin.InjectionPhase;
import io.valerix.core.http.JsonServer;
import io.valerix.core.http.Response;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SeededGremlinWithReplayTest {

    private static final HttpClient CLIENT =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    @TempDir
    Path dir;

    @Test
    void theSeedAloneFixesTheDecisionAndTheLogHoldsIt() throws IOException {
        Path first = Files.createDirectory(dir.resolve("first"));
        Path second = Files.createDirectory(dir.resolve("second"));

        GremlinDecision d = SeededGremlinWithReplay.firstDecision(first);

        // the spec's delay, after the handler, and nothing else
        assertThat(d.delay(InjectionPhase.AFTER)).isBetween(Duration.ZERO, Duration.ofSeconds(5));
        assertThat(d.delay(InjectionPhase.BEFORE)).isZero();
        assertThat(d.fault()).isEmpty();
        // the same seed decides the same again, and the log holds exactly that decision
        assertThat(SeededGremlinWithReplay.firstDecision(second)).isEqualTo(d);
        try (Reader in = Files.newBufferedReader(first.resolve("gremlin.jsonl"))) {
            assertThat(DecisionLog.read(in)).containsExactly(d);
        }
    }

    @Test
    void aReplayingGremlinAnswersARealServersRequestsAsTheRecordedRunDid() throws IOException {
        GremlinSpec spec = GremlinSpec.parse("error(503) p=0.5");
        List<Integer> recorded = new ArrayList<>();

        Gremlin replaying = SeededGremlinWithReplay.recordAndReplay(
                dir.resolve("run.jsonl"), 99, spec, gremlin -> recorded.addAll(statusesOf20Requests(gremlin)));
        List<Integer> replayed = statusesOf20Requests(replaying);

        assertThat(recorded).contains(200, 503); // the run had both, so the comparison means something
        assertThat(replaying.isReplaying()).isTrue();
        assertThat(replayed).isEqualTo(recorded);
    }

    /** Twenty GETs, one after the other, through a real server whose filter is {@code gremlin}. */
    private static List<Integer> statusesOf20Requests(Gremlin gremlin) {
        try (JsonServer server = JsonServer.builder()
                .port(0)
                .filter(GremlinFilter.of(gremlin))
                .route("GET", "/items", request -> Response.json(200, Map.of("items", List.of())))
                .build()
                .start()) {
            List<Integer> statuses = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                HttpRequest get = HttpRequest.newBuilder(server.uri().resolve("/items"))
                        .timeout(Duration.ofSeconds(30))
                        .build();
                statuses.add(
                        CLIENT.send(get, HttpResponse.BodyHandlers.discarding()).statusCode());
            }
            return statuses;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
