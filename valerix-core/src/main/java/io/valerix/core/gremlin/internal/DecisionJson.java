package io.valerix.core.gremlin.internal;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.valerix.core.gremlin.Fault;
import io.valerix.core.gremlin.GremlinAction;
import io.valerix.core.gremlin.GremlinDecision;
import io.valerix.core.gremlin.GremlinSpecException;
import io.valerix.core.gremlin.InjectionPhase;
import java.time.Duration;
import java.util.List;

/**
 * One {@link GremlinDecision} as one line of JSON: {@code {"request":7,"method":"PUT",
 * "path":"/reservations/o-1","before":"0ms","after":"1200ms","fault":{"type":"reset"},
 * "faultPhase":"after","rules":[0,2]}}; {@code fault} and {@code faultPhase} are left out when
 * there is no fault.
 *
 * <p>Stateless and thread-safe.
 */
public final class DecisionJson {

    private DecisionJson() {}

    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonPropertyOrder({"request", "method", "path", "before", "after", "fault", "faultPhase", "rules"})
    record DecisionDto(
            @JsonProperty("request") Long request,
            @JsonProperty("method") String method,
            @JsonProperty("path") String path,
            @JsonProperty("before") String before,
            @JsonProperty("after") String after,
            @JsonProperty("fault") JsonNode fault,
            @JsonProperty("faultPhase") String faultPhase,
            @JsonProperty("rules") List<Integer> rules) {}

    /** The decision as one line of JSON, without a line break. */
    public static String write(GremlinDecision d) {
        DecisionDto dto = new DecisionDto(
                d.request(),
                d.method(),
                d.path(),
                DurationText.format(d.delay(InjectionPhase.BEFORE)),
                DurationText.format(d.delay(InjectionPhase.AFTER)),
                d.fault().map(ActionJson::write).orElse(null),
                d.faultPhase().map(InjectionPhase::text).orElse(null),
                d.firedRules());
        try {
            return SpecJson.MAPPER.writeValueAsString(dto);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write gremlin decision " + d, e);
        }
    }

    /**
     * Reads one line written by {@link #write}.
     *
     * @throws GremlinSpecException naming the problem and the JSON path
     */
    public static GremlinDecision read(String line) {
        DecisionDto dto = SpecJson.bind(line, DecisionDto.class);
        if (dto == null) {
            throw GremlinSpecException.inJson("expected a decision object, but was null", "");
        }
        require(dto.request(), "request");
        require(dto.method(), "method");
        require(dto.path(), "path");
        GremlinDecision.Builder b = GremlinDecision.builder(dto.request(), dto.method(), dto.path());
        b.delay(InjectionPhase.BEFORE, duration(require(dto.before(), "before"), "before"));
        b.delay(InjectionPhase.AFTER, duration(require(dto.after(), "after"), "after"));
        if ((dto.fault() == null) != (dto.faultPhase() == null)) {
            throw GremlinSpecException.inJson("'fault' and 'faultPhase' come together or not at all", "");
        }
        if (dto.fault() != null) {
            GremlinAction action = ActionJson.read(dto.fault(), "fault");
            if (!(action instanceof Fault fault)) {
                throw GremlinSpecException.inJson("'" + action.toText() + "' is not a fault", "fault");
            }
            try {
                b.fault(InjectionPhase.fromText(dto.faultPhase()), fault);
            } catch (IllegalArgumentException e) {
                throw GremlinSpecException.inJson(e.getMessage(), "faultPhase");
            }
        }
        try {
            return b.firedRules(require(dto.rules(), "rules")).build();
        } catch (IllegalArgumentException | NullPointerException e) {
            throw GremlinSpecException.inJson(e.getMessage(), "");
        }
    }

    private static <T> T require(T value, String field) {
        if (value == null) {
            throw GremlinSpecException.inJson("missing field '" + field + "'", "");
        }
        return value;
    }

    private static Duration duration(String text, String field) {
        try {
            return DurationText.parse(text);
        } catch (IllegalArgumentException e) {
            throw GremlinSpecException.inJson(e.getMessage(), field);
        }
    }
}
