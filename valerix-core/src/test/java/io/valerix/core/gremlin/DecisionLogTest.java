package io.valerix.core.gremlin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.Writer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class DecisionLogTest {

    private static final GremlinSpec CHAOS =
            GremlinSpec.parse("uniform(0ms,5s) after p=0.5; normal(100ms,30ms) p=0.2; error(503) p=0.1;"
                    + " reset after p=0.05 route=\"PUT /reservations/*\"; noresponse(30s) p=0.02;"
                    + " slowbody(2s) p=0.02");

    /** A fixed, varied request sequence, as a load generator would send it. */
    private static List<GremlinDecision> run(Gremlin gremlin, int requests) {
        List<GremlinDecision> decisions = new ArrayList<>();
        for (int i = 0; i < requests; i++) {
            decisions.add(
                    i % 2 == 0
                            ? gremlin.decide("PUT", "/reservations/o-" + i)
                            : gremlin.decide("GET", "/inventory/sku-" + i % 7));
        }
        return decisions;
    }

    @Test
    void aSavedLogReplaysToIdenticalDecisions() throws IOException {
        StringWriter saved = new StringWriter();
        List<GremlinDecision> original;
        try (DecisionLog log = DecisionLog.writingTo(saved)) {
            original = run(Gremlin.builder(99).spec(CHAOS).listener(log).build(), 5_000);
        }

        List<GremlinDecision> read = DecisionLog.read(new StringReader(saved.toString()));
        Gremlin replaying = Gremlin.builder(0).replay(read).build();
        List<GremlinDecision> replayed = run(replaying, 5_000);

        assertThat(read).isEqualTo(original);
        assertThat(replayed).isEqualTo(original);
        assertThat(replaying.isReplaying()).isTrue();
        assertThat(original).anyMatch(d -> d.fault().isPresent()).anyMatch(d -> !d.injectsNothing());
    }

    @Test
    void requestsPastTheEndOfTheLogGetNoInjection() {
        GremlinDecision only = GremlinDecision.builder(1, "GET", "/x")
                .fault(InjectionPhase.BEFORE, Fault.error(503))
                .build();
        Gremlin replaying = Gremlin.builder(0).replay(List.of(only)).build();

        GremlinDecision first = replaying.decide("GET", "/x");
        GremlinDecision second = replaying.decide("GET", "/x");

        assertThat(first).isEqualTo(only);
        assertThat(second).isEqualTo(GremlinDecision.builder(2, "GET", "/x").build());
        assertThat(second.injectsNothing()).isTrue();
    }

    @Test
    void aReplayedDecisionFollowsTheRequestNumberEvenIfTheRouteDiffers() {
        GremlinDecision logged = GremlinDecision.builder(1, "PUT", "/reservations/o-1")
                .delay(InjectionPhase.AFTER, Duration.ofSeconds(2))
                .firedRules(List.of(0))
                .build();
        Gremlin replaying = Gremlin.builder(0).replay(List.of(logged)).build();

        GremlinDecision d = replaying.decide("GET", "/health");

        assertThat(d.method()).isEqualTo("GET");
        assertThat(d.path()).isEqualTo("/health");
        assertThat(d.delay(InjectionPhase.AFTER)).isEqualTo(Duration.ofSeconds(2));
    }

    @Test
    void aReplayingGremlinRefusesANewSpec() {
        Gremlin replaying = Gremlin.builder(0).replay(List.of()).build();

        assertThatThrownBy(() -> replaying.replaceSpec(GremlinSpec.parse("reset")))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("replays a decision log");
    }

    @Test
    void aDecisionIsOneLineOfJson() {
        GremlinDecision d = GremlinDecision.builder(7, "PUT", "/reservations/o-1")
                .delay(InjectionPhase.AFTER, Duration.ofMillis(1200))
                .fault(InjectionPhase.AFTER, Fault.reset())
                .firedRules(List.of(0, 2))
                .build();

        String line = DecisionLog.toJsonLine(d);

        assertThat(line)
                .isEqualTo("{\"request\":7,\"method\":\"PUT\",\"path\":\"/reservations/o-1\",\"before\":\"0ms\","
                        + "\"after\":\"1200ms\",\"fault\":{\"type\":\"reset\"},\"faultPhase\":\"after\","
                        + "\"rules\":[0,2]}");
        assertThat(DecisionLog.fromJsonLine(line)).isEqualTo(d);
    }

    /** A log line for request {@code n} with a delay {@code before}. */
    private static String line(long n, String before) {
        return "{\"request\":" + n + ",\"method\":\"GET\",\"path\":\"/a\",\"before\":\"" + before
                + "\",\"after\":\"0ms\",\"rules\":[]}\n";
    }

    @Test
    void linesWrittenOutOfOrderAreReadBackSortedAndBlankLinesSkipped() throws IOException {
        String log = line(2, "0ms") + "\n" + line(1, "1s");

        List<GremlinDecision> read = DecisionLog.read(new StringReader(log));

        assertThat(read).extracting(GremlinDecision::request).containsExactly(1L, 2L);
    }

    @Test
    void aBadLineIsRejectedWithItsLineNumber() {
        String log = line(1, "0ms") + line(2, "-1s");

        assertThatThrownBy(() -> DecisionLog.read(new StringReader(log)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("bad decision log line 2: negative duration '-1s' at before");
    }

    @Test
    void aRequestLoggedTwiceIsRejected() {
        String twice = line(1, "0ms") + line(1, "5ms");

        assertThatThrownBy(() -> DecisionLog.read(new StringReader(twice)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("decision log has request 1 twice, on lines 1 and 2");
    }

    @Test
    void aFaultBeforeTheHandlerWithADelayAfterItIsNotAValidLine() {
        String line = "{\"request\":1,\"method\":\"GET\",\"path\":\"/a\",\"before\":\"0ms\",\"after\":\"1s\","
                + "\"fault\":{\"type\":\"reset\"},\"faultPhase\":\"before\",\"rules\":[0]}";

        assertThatThrownBy(() -> DecisionLog.fromJsonLine(line))
                .isInstanceOf(GremlinSpecException.class)
                .hasMessageContaining("delay after must be 0ms when a fault is injected before the handler");
    }

    @Test
    void aFailedWriteMakesCloseThrowSoAnIncompleteLogIsNoticed() {
        Writer broken = new Writer() {
            @Override
            public void write(char[] buffer, int offset, int length) throws IOException {
                throw new IOException("disk full");
            }

            @Override
            public void flush() {}

            @Override
            public void close() {}
        };
        DecisionLog log = DecisionLog.writingTo(broken);
        Gremlin gremlin = Gremlin.builder(1).listener(log).build();

        gremlin.decide("GET", "/a");
        gremlin.decide("GET", "/b");

        assertThatThrownBy(log::close)
                .isInstanceOf(IOException.class)
                .hasMessage("gremlin decision log is incomplete: 2 decision(s) not written")
                .hasRootCauseMessage("disk full");
    }
}
