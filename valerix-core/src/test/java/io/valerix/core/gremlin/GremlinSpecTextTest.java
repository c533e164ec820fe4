package io.valerix.core.gremlin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class GremlinSpecTextTest {

    @ParameterizedTest
    @ValueSource(
            strings = {
                "none",
                "fixed(1500ms)",
                "uniform(0ms,5s) after p=1.0",
                "uniform(0ms,5s) after p=0.5 route=\"PUT /reservations/*\"",
                "error(503) p=0.1",
                "reset p=0.05 route=\"PUT /reservations/*\"",
                "uniform(0ms,5s) after p=0.5; error(503) p=0.1; reset p=0.05 route=\"* /reservations/**\"",
                "uniform(0ms,5s) after p=0.5; error(503) p=0.1; reset after p=0.05 route=\"PUT /reservations/*\"",
                "lognormal(100ms,0.5) route=\"GET /inventory/*\"; pareto(50ms,1.5,10s) after p=0.2",
                "noresponse(30s) p=0.01; slowbody(2s) p=0.05",
                "normal(200ms,50ms) before",
                "lognormal(100ms,0.5)",
                "pareto(50ms,1.5)",
                "pareto(50ms,1.5,10s) p=0.25",
                "noresponse(30s) after",
                "slowbody(2s)",
                "fixed(0)",
                "fixed(100us)",
                "fixed(2m)",
                "fixed(1.5s)",
                "  uniform( 0ms , 5s )  after  p = 0.5 ;error(503)  "
            })
    void everyDocumentedExampleParsesAndRoundTripsThroughToText(String text) {
        GremlinSpec spec = GremlinSpec.parse(text);

        assertThat(GremlinSpec.parse(spec.toText())).isEqualTo(spec);
        assertThat(spec.toText()).isEqualTo(GremlinSpec.parse(spec.toText()).toText());
    }

    @Test
    void theInventoryDefaultParsesToAnAfterUniformRuleForEveryRoute() {
        GremlinSpec spec = GremlinSpec.parse("uniform(0ms,5s) after p=1.0");

        assertThat(spec.rules())
                .containsExactly(new GremlinRule(
                        LatencyDistribution.uniform(Duration.ZERO, Duration.ofSeconds(5)),
                        InjectionPhase.AFTER,
                        1.0,
                        Route.any()));
        assertThat(spec.toText()).isEqualTo("uniform(0ms,5s) after");
    }

    @Test
    void optionsAndDefaultsLandInTheRule() {
        GremlinSpec spec = GremlinSpec.parse("reset p=0.05 route=\"PUT /reservations/*\"; slowbody(1.5s); none");

        assertThat(spec.rules())
                .containsExactly(
                        new GremlinRule(Fault.reset(), InjectionPhase.BEFORE, 0.05, Route.parse("PUT /reservations/*")),
                        new GremlinRule(
                                Fault.slowBody(Duration.ofMillis(1500)), InjectionPhase.AFTER, 1.0, Route.any()),
                        GremlinRule.of(GremlinAction.none()));
    }

    @Test
    void durationsAcceptEveryUnitAndFractions() {
        List<String> texts = List.of("0", "7ns", "100us", "250ms", "1.5s", "2m", "1h", "0.25ms");
        List<Duration> expected = List.of(
                Duration.ZERO,
                Duration.ofNanos(7),
                Duration.ofNanos(100_000),
                Duration.ofMillis(250),
                Duration.ofMillis(1500),
                Duration.ofMinutes(2),
                Duration.ofHours(1),
                Duration.ofNanos(250_000));

        for (int i = 0; i < texts.size(); i++) {
            GremlinSpec spec = GremlinSpec.parse("fixed(" + texts.get(i) + ")");
            assertThat(spec.rules().get(0).action()).isEqualTo(LatencyDistribution.fixed(expected.get(i)));
        }
    }

    @Test
    void toTextWritesTheShortestExactUnitAndLeavesOutDefaults() {
        GremlinSpec spec = GremlinSpec.of(
                GremlinRule.of(LatencyDistribution.uniform(Duration.ZERO, Duration.ofMillis(1500)))
                        .withPhase(InjectionPhase.AFTER)
                        .withProbability(0.0001),
                GremlinRule.of(Fault.error(503)).withRoute(Route.parse("GET /inventory/*")),
                GremlinRule.of(LatencyDistribution.pareto(Duration.ofMillis(50), 1.5)));

        assertThat(spec.toText())
                .isEqualTo("uniform(0ms,1500ms) after p=0.0001; error(503) route=\"GET /inventory/*\";"
                        + " pareto(50ms,1.5)");
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
          unifrom(0ms,5s)                  | unknown action 'unifrom'                      | 0
          uniform 0ms,5s)                  | missing '(' after 'uniform', found '0'        | 8
          uniform(0ms,5s                   | missing ')' to close '(' of 'uniform'         | 7
          uniform(0ms 5s)                  | unexpected '5' in the arguments of 'uniform'  | 12
          fixed(-5ms)                      | negative duration '-5ms'                      | 6
          fixed(5)                         | duration '5' has no unit                      | 6
          fixed(1.5ns)                     | duration '1.5ns' is finer than a nanosecond   | 6
          fixed(5parsecs)                  | bad duration '5parsecs'                       | 6
          error(503) p=1.5                 | probability must be in [0, 1], but was 1.5    | 13
          error(503) p=-0.5                | bad probability '-0.5'                        | 13
          error(503) p=                    | missing probability, found end of input       | 13
          uniform(5s,1s)                   | min must not be greater than max, but min was 5s and max 1s | 0
          error(200)                       | status must be a 4xx or 5xx code, but was 200 | 0
          lognormal(100ms,0)               | sigma must be greater than 0, but was 0.0     | 0
          pareto(50ms,0)                   | shape must be greater than 0, but was 0.0     | 0
          pareto(50ms,1.5,10ms)            | cap must not be less than scale               | 0
          normal(100ms,0ms)                | stddev must be greater than 0                 | 0
          noresponse(0)                    | bound must be greater than 0                  | 0
          uniform(1s)                      | 'uniform' takes 2 arguments, but got 1        | 0
          reset()                          | 'reset' takes no arguments                    | 5
          `reset route="PUT reservations/*"` | route pattern must start with '/', but was 'reservations/*' | 13
          `reset route="put /reservations"`  | route method must be upper-case letters or '*', but was 'put' | 13
          `reset route="PUT /a/**/b"`        | '**' must be the last segment             | 13
          `reset route="PUT /res*"`          | bad segment 'res*'                        | 13
          `reset route="PUT"`                | route must be '<METHOD> /<path pattern>'  | 13
          `reset route="PUT /x`              | missing closing '"' of the route          | 12
          reset route=PUT /x               | route must be in double quotes                | 12
          fixed(1s) during                 | unknown phase or option 'during'              | 10
          fixed(1s) after before           | phase given twice ('before')                  | 16
          slowbody(2s) before              | slowbody needs a response to slow down        | 0
          fixed(1s) after )                | unexpected ')'                                | 16
          fixed(1s) after p=0.5 junk       | unknown phase or option 'junk'                | 22
          fixed(1s) 42                     | unexpected '4'                                | 10
          `fixed(1s);`                     | empty rule after ';'                          | 10
          `fixed(1s);; reset`              | empty rule after ';'                          | 10
          `;`                              | expected an action                            | 0
          `   `                            | empty spec; use 'none' for no injection       | 3
          """)
    void aBadSpecIsRejectedWithTheProblemAndItsOffset(String text, String problem, int offset) {
        GremlinSpecException e = catchThrowableOfType(GremlinSpecException.class, () -> GremlinSpec.parse(text));

        assertThat(e).as("exception for %s", text).isNotNull();
        assertThat(e.getMessage()).startsWith(problem).endsWith(" at offset " + offset + " in \"" + text + "\"");
        assertThat(e.offset()).isEqualTo(offset);
        assertThat(e).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theUnknownActionMessageListsTheKnownOnes() {
        GremlinSpecException e =
                catchThrowableOfType(GremlinSpecException.class, () -> GremlinSpec.parse("unifrom(0ms,5s)"));

        assertThat(e)
                .hasMessage("unknown action 'unifrom' (expected one of none, fixed, uniform, normal, lognormal,"
                        + " pareto, error, reset, noresponse, slowbody) at offset 0 in \"unifrom(0ms,5s)\"");
    }
}
