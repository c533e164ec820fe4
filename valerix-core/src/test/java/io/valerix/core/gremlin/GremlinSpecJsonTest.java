package io.valerix.core.gremlin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class GremlinSpecJsonTest {

    @Test
    void theDocumentedExampleReadsAsTheSameSpecAsItsTextForm() {
        String json = """
        {"rules":[{"action":{"type":"uniform","min":"0ms","max":"5s"},"phase":"after",\
        "probability":0.5,"route":"PUT /reservations/*"}]}""";

        GremlinSpec spec = GremlinSpec.fromJson(json);

        assertThat(spec).isEqualTo(GremlinSpec.parse("uniform(0ms,5s) after p=0.5 route=\"PUT /reservations/*\""));
    }

    @Test
    void toJsonWritesEveryFieldExceptAnAnyRoute() {
        GremlinSpec spec = GremlinSpec.parse("uniform(0ms,5s) after; error(503) p=0.1");

        assertThat(spec.toJson())
                .isEqualTo("{\"rules\":["
                        + "{\"action\":{\"type\":\"uniform\",\"min\":\"0ms\",\"max\":\"5s\"},"
                        + "\"phase\":\"after\",\"probability\":1.0},"
                        + "{\"action\":{\"type\":\"error\",\"status\":503},"
                        + "\"phase\":\"before\",\"probability\":0.1}]}");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "none",
                "fixed(1500ms) p=0.3",
                "uniform(0ms,5s) after p=0.5 route=\"PUT /reservations/*\"",
                "normal(200ms,50ms) after; lognormal(100ms,0.75) route=\"GET /inventory/*\"",
                "pareto(50ms,1.5); pareto(50ms,2.5,10s) after",
                "error(503) p=0.1; reset p=0.05; noresponse(30s) after; slowbody(2s)",
            })
    void everyActionRoundTripsThroughJson(String text) {
        GremlinSpec spec = GremlinSpec.parse(text);

        assertThat(GremlinSpec.fromJson(spec.toJson())).isEqualTo(spec);
    }

    @Test
    void phaseProbabilityRouteAndParetoCapMayBeLeftOutForTheirDefaults() {
        GremlinSpec spec =
                GremlinSpec.fromJson("{\"rules\":[{\"action\":{\"type\":\"pareto\",\"scale\":\"50ms\",\"shape\":1.5}},"
                        + "{\"action\":{\"type\":\"slowbody\",\"duration\":\"2s\"}}]}");

        assertThat(spec.rules())
                .containsExactly(
                        GremlinRule.of(LatencyDistribution.pareto(Duration.ofMillis(50), 1.5)),
                        new GremlinRule(Fault.slowBody(Duration.ofSeconds(2)), InjectionPhase.AFTER, 1.0, Route.any()));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
          {"rules":[{"action":{"type":"unifrom"}}]}                        | unknown action type 'unifrom'           | rules[0].action.type
          {"rules":[{"action":{"type":"uniform","min":"0ms"}}]}            | missing field 'max' for action type 'uniform' | rules[0].action
          {"rules":[{"action":{"type":"fixed","delay":"-5ms"}}]}           | negative duration '-5ms'                | rules[0].action.delay
          {"rules":[{"action":{"type":"fixed","delay":250}}]}              | delay must be a duration string         | rules[0].action.delay
          {"rules":[{"action":{"type":"fixed","delay":"1s","min":"0ms"}}]} | unknown field 'min' for action type 'fixed' | rules[0].action.min
          {"rules":[{"action":{"type":"uniform","min":"5s","max":"1s"}}]}  | min must not be greater than max        | rules[0].action
          {"rules":[{"action":{"type":"error","status":503.5}}]}           | status must be an integer, but was 503.5 | rules[0].action.status
          {"rules":[{"action":{"type":"lognormal","median":"1s","sigma":"x"}}]} | sigma must be a number             | rules[0].action.sigma
          {"rules":[{"action":"reset"}]}                                   | action must be an object                | rules[0].action
          {"rules":[{"phase":"after"}]}                                    | missing field 'action'                  | rules[0].action
          {"rules":[{"action":{"type":"none"},"probability":1.5}]}         | probability must be in [0, 1], but was 1.5 | rules[0].probability
          {"rules":[{"action":{"type":"none"},"probability":"0.5"}]}       | wrong type, expected a number           | rules[0].probability
          {"rules":[{"action":{"type":"none"},"phase":"during"}]}          | unknown phase 'during'                  | rules[0].phase
          {"rules":[{"action":{"type":"slowbody","duration":"1s"},"phase":"before"}]} | slowbody needs a response    | rules[0].phase
          {"rules":[{"action":{"type":"none"},"route":"PUT reservations"}]} | route pattern must start with '/'       | rules[0].route
          {"rules":[{"action":{"type":"none"},"colour":"red"}]}            | unknown field 'colour' (expected fields [action, phase, probability, route]) | rules[0].colour
          {"rules":[]}                                                     | rules must not be empty                 | rules
          {}                                                               | missing field 'rules'                   | ``
          {"rules":[                                                       | malformed JSON                          | ``
          {"rules":[]} trailing                                            | malformed JSON                          | ``
          {"rules":[],"rules":[]}                                          | malformed JSON: Duplicate field 'rules' | ``
          ``                                                               | empty document                          | ``
          """)
    void aBadJsonSpecIsRejectedWithTheProblemAndItsPath(String json, String problem, String path) {
        GremlinSpecException e = catchThrowableOfType(GremlinSpecException.class, () -> GremlinSpec.fromJson(json));

        assertThat(e).as("exception for %s", json).isNotNull();
        assertThat(e.problem()).contains(problem);
        assertThat(e.jsonPath()).isEqualTo(path);
        assertThat(e.getMessage()).endsWith(path.isEmpty() ? " in the JSON spec" : " at " + path);
    }
}
