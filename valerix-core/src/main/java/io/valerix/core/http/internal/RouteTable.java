package io.valerix.core.http.internal;

import io.valerix.core.http.Handler;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * Routes by method and path template ({@code /reservations/{orderId}}). A literal segment beats a
 * parameter, so {@code /orders/stats} wins over {@code /orders/{id}} whatever the order they were
 * added in. Immutable once built; lookups are lock-free.
 */
public final class RouteTable {

    /** A route: method, template and handler. */
    public record Route(String method, String template, List<String> segments, Handler handler) {
        boolean isParam(int i) {
            String s = segments.get(i);
            return s.startsWith("{") && s.endsWith("}");
        }
    }

    /** The outcome of a lookup. */
    public sealed interface Match permits Found, MethodNotAllowed, NotFound {}

    public record Found(Route route, Map<String, String> params) implements Match {}

    public record MethodNotAllowed(Set<String> allowed) implements Match {}

    public record NotFound() implements Match {}

    private final List<Route> routes;

    private RouteTable(List<Route> routes) {
        this.routes = routes;
    }

    /** Builds a table; rejects malformed templates and duplicate method + template pairs. */
    public static RouteTable of(List<Route> routes) {
        List<Route> sorted = new ArrayList<>(routes);
        Set<String> seen = new java.util.HashSet<>();
        for (Route route : sorted) {
            String normalized = route.method() + " "
                    + route.segments().stream()
                            .map(s -> s.startsWith("{") ? "{}" : s)
                            .toList();
            if (!seen.add(normalized)) {
                throw new IllegalArgumentException("duplicate route " + route.method() + " " + route.template());
            }
        }
        // Specific first: at the first segment where two routes differ, a literal beats a parameter.
        sorted.sort(Comparator.comparing(RouteTable::specificityKey));
        return new RouteTable(List.copyOf(sorted));
    }

    /** Parses a template into a route. */
    public static Route route(String method, String template, Handler handler) {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(template, "template");
        Objects.requireNonNull(handler, "handler");
        if (!method.matches("[A-Z]+")) {
            throw new IllegalArgumentException("method must be upper-case letters, but was '" + method + "'");
        }
        if (!template.startsWith("/")) {
            throw new IllegalArgumentException("route template must start with '/', but was '" + template + "'");
        }
        List<String> segments = split(template);
        Set<String> names = new TreeSet<>();
        for (String segment : segments) {
            if (segment.startsWith("{")) {
                if (!segment.matches("\\{[A-Za-z][A-Za-z0-9]*}")) {
                    throw new IllegalArgumentException(
                            "bad path parameter '" + segment + "' in route template '" + template + "'");
                }
                if (!names.add(segment)) {
                    throw new IllegalArgumentException(
                            "path parameter " + segment + " appears twice in '" + template + "'");
                }
            } else if (segment.contains("{") || segment.contains("}")) {
                throw new IllegalArgumentException(
                        "bad segment '" + segment + "' in route template '" + template + "'");
            }
        }
        return new Route(method, template, segments, handler);
    }

    /** Looks up a decoded path split into segments. */
    public Match match(String method, List<String> pathSegments) {
        Set<String> allowed = new TreeSet<>();
        for (Route route : routes) {
            Map<String, String> params = matchSegments(route, pathSegments);
            if (params == null) {
                continue;
            }
            if (route.method().equals(method)) {
                return new Found(route, params);
            }
            allowed.add(route.method());
        }
        return allowed.isEmpty() ? new NotFound() : new MethodNotAllowed(allowed);
    }

    private static Map<String, String> matchSegments(Route route, List<String> path) {
        List<String> segments = route.segments();
        if (segments.size() != path.size()) {
            return null;
        }
        Map<String, String> params = null;
        for (int i = 0; i < segments.size(); i++) {
            if (route.isParam(i)) {
                if (path.get(i).isEmpty()) {
                    return null;
                }
                if (params == null) {
                    params = new LinkedHashMap<>();
                }
                String s = segments.get(i);
                params.put(s.substring(1, s.length() - 1), path.get(i));
            } else if (!segments.get(i).equals(path.get(i))) {
                return null;
            }
        }
        return params == null ? Map.of() : params;
    }

    private static String specificityKey(Route route) {
        StringBuilder key = new StringBuilder();
        for (int i = 0; i < route.segments().size(); i++) {
            key.append(route.isParam(i) ? '1' : '0');
        }
        return key.toString();
    }

    /** Splits a path into segments; "/" is no segments, "/a/" is ["a", ""]. */
    public static List<String> split(String path) {
        List<String> segments = new ArrayList<>();
        if (path.equals("/") || path.isEmpty()) {
            return segments;
        }
        int start = 1;
        while (true) {
            int slash = path.indexOf('/', start);
            if (slash < 0) {
                segments.add(path.substring(start));
                return segments;
            }
            segments.add(path.substring(start, slash));
            start = slash + 1;
        }
    }
}
