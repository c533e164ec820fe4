package io.valerix.core.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The project's {@code api/openapi.yaml}, parsed, for the tests that keep it true to what the
 * services serve. Routes are written {@code "METHOD /path"}, as the document's path templates
 * spell them.
 */
public final class OpenApiDocument {

    private static final List<String> METHODS = List.of("get", "put", "post", "delete", "patch", "head", "options");

    private final JsonNode root;
    private final String text;

    private OpenApiDocument(JsonNode root, String text) {
        this.root = root;
        this.text = text;
    }

    /** Reads {@code api/openapi.yaml} of the checkout the module under test belongs to. */
    public static OpenApiDocument read() {
        try {
            String text = Files.readString(file());
            return new OpenApiDocument(new YAMLMapper().readTree(text), text);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file(), e);
        }
    }

    /** Where the document is: {@code api/openapi.yaml} beside the module's directory. */
    public static Path file() {
        return Path.of(System.getProperty("basedir", "."))
                .resolve("../api/openapi.yaml")
                .normalize();
    }

    /** The whole document. */
    public JsonNode root() {
        return root;
    }

    /** The document as written, for checks on its prose. */
    public String text() {
        return text;
    }

    /** Every operation under {@code paths}, as {@code "METHOD /path"}, in document order. */
    public Set<String> routes() {
        Set<String> routes = new LinkedHashSet<>();
        for (Iterator<Map.Entry<String, JsonNode>> paths = root.path("paths").fields(); paths.hasNext(); ) {
            Map.Entry<String, JsonNode> path = paths.next();
            for (String method : METHODS) {
                if (path.getValue().has(method)) {
                    routes.add(method.toUpperCase(Locale.ROOT) + " " + path.getKey());
                }
            }
        }
        return routes;
    }

    /** The statuses ({@code "200"}, ...) documented for {@code route}; empty if it is not documented. */
    public Set<String> statuses(String route) {
        Set<String> statuses = new LinkedHashSet<>();
        operation(route).path("responses").fieldNames().forEachRemaining(statuses::add);
        return statuses;
    }

    /** The operation for {@code "METHOD /path"}, or a missing node. */
    public JsonNode operation(String route) {
        int space = route.indexOf(' ');
        return root.path("paths")
                .path(route.substring(space + 1))
                .path(route.substring(0, space).toLowerCase(Locale.ROOT));
    }

    /** The response {@code status} of {@code route} with its {@code $ref} followed, or a missing node. */
    public JsonNode response(String route, int status) {
        return resolve(operation(route).path("responses").path(Integer.toString(status)));
    }

    /** {@code node}, or what its local {@code $ref} ("#/components/...") points to. */
    public JsonNode resolve(JsonNode node) {
        String ref = node.path("$ref").asText(null);
        return ref == null ? node : root.at(ref.substring(1));
    }
}
