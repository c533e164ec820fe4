package io.valerix.core.http;

import io.valerix.core.http.internal.PathCodec;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An outbound call for a {@link JsonClient}: method, a path template with its values, an
 * optional JSON body and extra headers.
 *
 * <p>The template, not the expanded path, names the call in metrics, so order ids do not become
 * metric labels. Immutable.
 *
 * @param method the HTTP method
 * @param template the path template, for example {@code /reservations/{orderId}}
 * @param pathValues the values of the template's {@code {…}} segments, in order
 * @param body the JSON body, or null
 * @param headers extra headers
 */
public record JsonRequest(
        String method, String template, List<String> pathValues, Object body, Map<String, String> headers) {

    private static final Pattern PARAM = Pattern.compile("\\{[^/{}]+}");

    public JsonRequest {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(template, "template");
        pathValues = List.copyOf(pathValues);
        headers = Map.copyOf(headers);
        long params = PARAM.matcher(template).results().count();
        if (params != pathValues.size()) {
            throw new IllegalArgumentException("template '" + template + "' has " + params + " parameters, but "
                    + pathValues.size() + " values were given");
        }
    }

    public static JsonRequest get(String template, String... pathValues) {
        return new JsonRequest("GET", template, Arrays.asList(pathValues), null, Map.of());
    }

    public static JsonRequest delete(String template, String... pathValues) {
        return new JsonRequest("DELETE", template, Arrays.asList(pathValues), null, Map.of());
    }

    public static JsonRequest put(Object body, String template, String... pathValues) {
        return new JsonRequest(
                "PUT", template, Arrays.asList(pathValues), Objects.requireNonNull(body, "body"), Map.of());
    }

    public static JsonRequest post(Object body, String template, String... pathValues) {
        return new JsonRequest(
                "POST", template, Arrays.asList(pathValues), Objects.requireNonNull(body, "body"), Map.of());
    }

    /** A copy with header {@code name} set to {@code value}. */
    public JsonRequest withHeader(String name, String value) {
        Map<String, String> copy = new LinkedHashMap<>(headers);
        copy.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(value, "value"));
        return new JsonRequest(method, template, pathValues, body, copy);
    }

    /**
     * Whether sending this twice has the effect of sending it once, so a retry is safe: GET, HEAD,
     * PUT and DELETE by HTTP's definition, and a POST that carries an {@code Idempotency-Key}.
     */
    public boolean idempotent() {
        return switch (method) {
            case "GET", "HEAD", "PUT", "DELETE", "OPTIONS" -> true;
            default -> headers.keySet().stream().anyMatch(ValerixHeaders.IDEMPOTENCY_KEY::equalsIgnoreCase);
        };
    }

    /** The path with every value percent-encoded into its segment. */
    public String expandedPath() {
        Matcher matcher = PARAM.matcher(template);
        StringBuilder out = new StringBuilder();
        int i = 0;
        while (matcher.find()) {
            matcher.appendReplacement(out, Matcher.quoteReplacement(PathCodec.encode(pathValues.get(i++))));
        }
        matcher.appendTail(out);
        return out.toString();
    }

    /** The name of this call in metrics and logs, for example {@code PUT /reservations/{orderId}}. */
    public String route() {
        return method + " " + template;
    }
}
