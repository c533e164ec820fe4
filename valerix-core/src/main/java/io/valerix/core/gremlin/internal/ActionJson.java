package io.valerix.core.gremlin.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.valerix.core.gremlin.Fault;
import io.valerix.core.gremlin.GremlinAction;
import io.valerix.core.gremlin.GremlinSpecException;
import io.valerix.core.gremlin.LatencyDistribution;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * The JSON form of a {@link GremlinAction}: {@code {"type":"uniform","min":"0ms","max":"5s"}}.
 *
 * <p>Decoded by hand from the tree rather than by polymorphic binding so that each field is
 * checked against its action type and every complaint names its JSON path. Stateless and
 * thread-safe.
 */
final class ActionJson {

    /** The fields of each action type, besides {@code type}; optional ones are marked with '?'. */
    private static final Map<String, List<String>> FIELDS = Map.of(
            "none", List.of(),
            "fixed", List.of("delay"),
            "uniform", List.of("min", "max"),
            "normal", List.of("mean", "stddev"),
            "lognormal", List.of("median", "sigma"),
            "pareto", List.of("scale", "shape", "cap?"),
            "error", List.of("status"),
            "reset", List.of(),
            "noresponse", List.of("bound"),
            "slowbody", List.of("duration"));

    private static final String TYPES =
            "none, fixed, uniform, normal, lognormal, pareto, error, reset, noresponse, slowbody";

    private ActionJson() {}

    static ObjectNode write(GremlinAction action) {
        ObjectNode node = JsonNodeFactory.instance.objectNode();
        switch (action) {
            case GremlinAction.None n -> node.put("type", "none");
            case LatencyDistribution.Fixed f -> node.put("type", "fixed").put("delay", DurationText.format(f.delay()));
            case LatencyDistribution.Uniform u ->
                node.put("type", "uniform")
                        .put("min", DurationText.format(u.min()))
                        .put("max", DurationText.format(u.max()));
            case LatencyDistribution.Normal n ->
                node.put("type", "normal")
                        .put("mean", DurationText.format(n.mean()))
                        .put("stddev", DurationText.format(n.stddev()));
            case LatencyDistribution.LogNormal l ->
                node.put("type", "lognormal")
                        .put("median", DurationText.format(l.median()))
                        .put("sigma", l.sigma());
            case LatencyDistribution.Pareto p ->
                node.put("type", "pareto")
                        .put("scale", DurationText.format(p.scale()))
                        .put("shape", p.shape())
                        .put("cap", DurationText.format(p.cap()));
            case Fault.ErrorResponse e -> node.put("type", "error").put("status", e.status());
            case Fault.ConnectionReset r -> node.put("type", "reset");
            case Fault.NoResponse n -> node.put("type", "noresponse").put("bound", DurationText.format(n.bound()));
            case Fault.SlowBody s -> node.put("type", "slowbody").put("duration", DurationText.format(s.duration()));
        }
        return node;
    }

    static GremlinAction read(JsonNode node, String path) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            throw GremlinSpecException.inJson("missing field 'action'", path);
        }
        if (!node.isObject()) {
            throw GremlinSpecException.inJson("action must be an object, but was " + node, path);
        }
        JsonNode typeNode = node.get("type");
        if (typeNode == null || !typeNode.isTextual()) {
            throw GremlinSpecException.inJson("action needs a string field 'type' (one of " + TYPES + ")", path);
        }
        String type = typeNode.asText();
        List<String> fields = FIELDS.get(type);
        if (fields == null) {
            throw GremlinSpecException.inJson(
                    "unknown action type '" + type + "' (expected one of " + TYPES + ")", path + ".type");
        }
        checkFields(node, type, fields, path);
        Reader r = new Reader(node, path);
        try {
            return switch (type) {
                case "none" -> GremlinAction.none();
                case "fixed" -> LatencyDistribution.fixed(r.duration("delay"));
                case "uniform" -> LatencyDistribution.uniform(r.duration("min"), r.duration("max"));
                case "normal" -> LatencyDistribution.normal(r.duration("mean"), r.duration("stddev"));
                case "lognormal" -> LatencyDistribution.logNormal(r.duration("median"), r.number("sigma"));
                case "pareto" ->
                    LatencyDistribution.pareto(
                            r.duration("scale"),
                            r.number("shape"),
                            node.has("cap") ? r.duration("cap") : LatencyDistribution.DEFAULT_PARETO_CAP);
                case "error" -> Fault.error(r.integer("status"));
                case "reset" -> Fault.reset();
                case "noresponse" -> Fault.noResponse(r.duration("bound"));
                case "slowbody" -> Fault.slowBody(r.duration("duration"));
                default -> throw new IllegalStateException("unhandled action type " + type);
            };
        } catch (GremlinSpecException e) {
            throw e;
        } catch (IllegalArgumentException e) {
            throw GremlinSpecException.inJson(e.getMessage(), path);
        }
    }

    private static void checkFields(JsonNode node, String type, List<String> fields, String path) {
        List<String> names = fields.stream().map(f -> f.replace("?", "")).toList();
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String name = it.next();
            if (!name.equals("type") && !names.contains(name)) {
                String expected = names.isEmpty() ? "no fields besides 'type'" : "fields " + names;
                throw GremlinSpecException.inJson(
                        "unknown field '" + name + "' for action type '" + type + "' (expected " + expected + ")",
                        path + "." + name);
            }
        }
        for (String field : fields) {
            if (!field.endsWith("?") && !node.has(field)) {
                throw GremlinSpecException.inJson("missing field '" + field + "' for action type '" + type + "'", path);
            }
        }
    }

    /** Reads typed fields, complaining at the field's own path. */
    private record Reader(JsonNode node, String path) {
        Duration duration(String field) {
            JsonNode value = node.get(field);
            if (!value.isTextual()) {
                throw GremlinSpecException.inJson(
                        field + " must be a duration string like \"250ms\", but was " + value, path + "." + field);
            }
            try {
                return DurationText.parse(value.asText());
            } catch (IllegalArgumentException e) {
                throw GremlinSpecException.inJson(e.getMessage(), path + "." + field);
            }
        }

        double number(String field) {
            JsonNode value = node.get(field);
            if (!value.isNumber()) {
                throw GremlinSpecException.inJson(field + " must be a number, but was " + value, path + "." + field);
            }
            return value.doubleValue();
        }

        int integer(String field) {
            JsonNode value = node.get(field);
            if (!value.isIntegralNumber() || !value.canConvertToInt()) {
                throw GremlinSpecException.inJson(field + " must be an integer, but was " + value, path + "." + field);
            }
            return value.intValue();
        }
    }
}
