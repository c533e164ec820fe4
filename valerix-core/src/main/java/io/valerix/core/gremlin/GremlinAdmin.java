package io.valerix.core.gremlin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.valerix.core.http.BearerTokenFilter;
import io.valerix.core.http.Json;
import io.valerix.core.http.JsonServer;
import io.valerix.core.http.ProblemType;
import io.valerix.core.http.Request;
import io.valerix.core.http.Response;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The gremlin's admin routes: {@code GET /admin/gremlin} shows the seed, the spec (text and
 * JSON) and injection counts; {@code PUT /admin/gremlin} replaces the spec, applying to the next
 * request. PUT takes the JSON form ({@code {"rules":[…]}}), {@code {"spec":"<text form>"}}, or
 * the text form as {@code text/plain}. A bad spec is 400 {@code invalid-gremlin-spec} saying what
 * and where, and changes nothing.
 *
 * <p>Both routes check the admin token themselves ({@link BearerTokenFilter#admin}: 401 without
 * one, 403 with a wrong one), so they are protected even on a server that has no token filter;
 * behind a server-wide admin filter the check simply passes twice. Thread-safe.
 */
public final class GremlinAdmin {

    /** A gremlin spec that does not parse. */
    public static final ProblemType INVALID_SPEC = ProblemType.of("invalid-gremlin-spec", "Invalid gremlin spec", 400);

    private static final ObjectMapper MAPPER = Json.newMapper();

    private GremlinAdmin() {}

    /**
     * Adds {@code GET} and {@code PUT /admin/gremlin} for {@code gremlin} to {@code server}, each
     * answering only requests that carry {@code adminToken} as a bearer token.
     *
     * @throws IllegalArgumentException if {@code adminToken} is not a valid token ({@link
     *     BearerTokenFilter#validToken})
     */
    public static JsonServer.Builder install(JsonServer.Builder server, Gremlin gremlin, String adminToken) {
        Objects.requireNonNull(server, "server");
        Objects.requireNonNull(gremlin, "gremlin");
        BearerTokenFilter guard = BearerTokenFilter.admin(adminToken);
        server.route("GET", "/admin/gremlin", request -> guard.filter(request, r -> Response.json(200, view(gremlin))));
        server.route(
                "PUT",
                "/admin/gremlin",
                request -> guard.filter(request, r -> {
                    GremlinSpec spec = parse(r);
                    gremlin.replaceSpec(spec);
                    return Response.json(200, view(gremlin));
                }));
        return server;
    }

    private static GremlinSpec parse(Request request) {
        String contentType = request.header("Content-Type").orElse("");
        String body = new String(request.body(), StandardCharsets.UTF_8);
        try {
            if (contentType.toLowerCase(java.util.Locale.ROOT).startsWith("text/plain")) {
                return GremlinSpec.parse(body.strip());
            }
            JsonNode json = request.bodyAs(JsonNode.class);
            if (json.has("spec") && json.get("spec").isTextual()) {
                return GremlinSpec.parse(json.get("spec").asText());
            }
            return GremlinSpec.fromJson(body);
        } catch (GremlinSpecException e) {
            throw INVALID_SPEC.exception(e.getMessage());
        }
    }

    static Map<String, Object> view(Gremlin gremlin) throws java.io.IOException {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("seed", gremlin.seed());
        view.put("spec", gremlin.spec().toText());
        view.put("rules", MAPPER.readTree(gremlin.spec().toJson()).get("rules"));
        view.put("replaying", gremlin.isReplaying());
        view.put("counts", gremlin.counts().asMap());
        return view;
    }
}
