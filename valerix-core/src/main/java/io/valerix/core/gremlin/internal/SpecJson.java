package io.valerix.core.gremlin.internal;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.valerix.core.gremlin.GremlinAction;
import io.valerix.core.gremlin.GremlinRule;
import io.valerix.core.gremlin.GremlinSpec;
import io.valerix.core.gremlin.GremlinSpecException;
import io.valerix.core.gremlin.InjectionPhase;
import io.valerix.core.gremlin.Route;
import java.util.ArrayList;
import java.util.List;

/**
 * The JSON form of a {@link GremlinSpec}, read strictly: unknown or duplicate fields, strings
 * where numbers belong and fractional status codes are errors, never coerced.
 *
 * <p>Stateless and thread-safe; the mapper is configured once and only used.
 */
public final class SpecJson {

    static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
            .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();

    private SpecJson() {}

    @JsonPropertyOrder({"rules"})
    record SpecDto(@JsonProperty("rules") List<RuleDto> rules) {}

    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonPropertyOrder({"action", "phase", "probability", "route"})
    record RuleDto(
            @JsonProperty("action") JsonNode action,
            @JsonProperty("phase") String phase,
            @JsonProperty("probability") Double probability,
            @JsonProperty("route") String route) {}

    /** Reads a spec; see {@link GremlinSpec#fromJson}. */
    public static GremlinSpec readSpec(String json) {
        SpecDto dto = bind(json, SpecDto.class);
        if (dto == null) {
            throw GremlinSpecException.inJson("expected an object with 'rules', but was null", "");
        }
        if (dto.rules() == null) {
            throw GremlinSpecException.inJson("missing field 'rules'", "");
        }
        if (dto.rules().isEmpty()) {
            throw GremlinSpecException.inJson(
                    "rules must not be empty; use [{\"action\":{\"type\":\"none\"}}] for no injection", "rules");
        }
        List<GremlinRule> rules = new ArrayList<>();
        for (int i = 0; i < dto.rules().size(); i++) {
            rules.add(readRule(dto.rules().get(i), "rules[" + i + "]"));
        }
        return new GremlinSpec(rules);
    }

    private static GremlinRule readRule(RuleDto dto, String path) {
        if (dto == null) {
            throw GremlinSpecException.inJson("rule must be an object, but was null", path);
        }
        GremlinAction action = ActionJson.read(dto.action(), path + ".action");
        GremlinRule rule = GremlinRule.of(action);
        try {
            if (dto.phase() != null) {
                rule = rule.withPhase(InjectionPhase.fromText(dto.phase()));
            }
        } catch (IllegalArgumentException e) {
            throw GremlinSpecException.inJson(e.getMessage(), path + ".phase");
        }
        try {
            if (dto.probability() != null) {
                rule = rule.withProbability(dto.probability());
            }
        } catch (IllegalArgumentException e) {
            throw GremlinSpecException.inJson(e.getMessage(), path + ".probability");
        }
        try {
            return dto.route() == null ? rule : rule.withRoute(Route.parse(dto.route()));
        } catch (IllegalArgumentException e) {
            throw GremlinSpecException.inJson(e.getMessage(), path + ".route");
        }
    }

    /** Writes a spec; see {@link GremlinSpec#toJson}. */
    public static String writeSpec(GremlinSpec spec) {
        List<RuleDto> rules = spec.rules().stream()
                .map(r -> new RuleDto(
                        ActionJson.write(r.action()),
                        r.phase().text(),
                        r.probability(),
                        r.route().isAny() ? null : r.route().toString()))
                .toList();
        try {
            return MAPPER.writeValueAsString(new SpecDto(rules));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write gremlin spec " + spec.toText(), e);
        }
    }

    /**
     * Binds {@code json} to {@code type} in two steps, so that broken syntax ("malformed JSON" with
     * line and column) and a wrong shape (with the JSON path) get different, located messages.
     */
    static <T> T bind(String json, Class<T> type) {
        JsonNode tree;
        try {
            tree = MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            String where = e.getLocation() == null
                    ? ""
                    : " (line " + e.getLocation().getLineNr() + ", column "
                            + e.getLocation().getColumnNr() + ")";
            throw GremlinSpecException.inJson("malformed JSON: " + clean(e) + where, "");
        }
        if (tree.isMissingNode()) {
            throw GremlinSpecException.inJson("empty document", "");
        }
        try {
            return MAPPER.treeToValue(tree, type);
        } catch (UnrecognizedPropertyException e) {
            throw GremlinSpecException.inJson(
                    "unknown field '" + e.getPropertyName() + "' (expected fields "
                            + e.getKnownPropertyIds().stream()
                                    .map(String::valueOf)
                                    .sorted()
                                    .toList() + ")",
                    pathOf(e));
        } catch (MismatchedInputException e) {
            throw GremlinSpecException.inJson(
                    "wrong type, expected " + describe(e.getTargetType()) + " (" + clean(e) + ")", pathOf(e));
        } catch (JsonMappingException e) {
            throw GremlinSpecException.inJson(clean(e), pathOf(e));
        } catch (JsonProcessingException e) {
            throw GremlinSpecException.inJson(clean(e), "");
        }
    }

    private static String describe(Class<?> type) {
        if (type == null) {
            return "another type";
        }
        if (Number.class.isAssignableFrom(type)) {
            return type == Double.class ? "a number" : "an integer";
        }
        if (type == String.class) {
            return "a string";
        }
        return List.class.isAssignableFrom(type) ? "an array" : "an object";
    }

    /** Jackson's message without its "[Source: REDACTED …]" noise. */
    private static String clean(JsonProcessingException e) {
        return e.getOriginalMessage().replaceAll("\\[Source: [^;]*; ", "[");
    }

    private static String pathOf(JsonMappingException e) {
        StringBuilder path = new StringBuilder();
        for (JsonMappingException.Reference ref : e.getPath()) {
            if (ref.getFieldName() != null) {
                if (!path.isEmpty()) {
                    path.append('.');
                }
                path.append(ref.getFieldName());
            } else if (ref.getIndex() >= 0) {
                path.append('[').append(ref.getIndex()).append(']');
            }
        }
        return path.toString();
    }
}
