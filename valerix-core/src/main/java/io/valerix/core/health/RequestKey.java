package io.valerix.core.health;

import java.util.Objects;

/**
 * What a recorded request was: its direction, the dependency called (client side only), the
 * HTTP method, the route <em>template</em> and the outcome. One rolling window and one set of
 * cumulative counters exist per distinct key.
 *
 * <p>{@code route} must be the template the router matched ({@code /reservations/{orderId}}),
 * never the raw path: every distinct value creates series, so raw ids would grow memory and
 * metrics without bound. Requests that matched no route should use one fixed route such as
 * {@code (unmatched)}. As a safety net the monitor folds keys beyond
 * {@link LatencyMonitor#MAX_KEYS} into the route {@link LatencyMonitor#OVERFLOW_ROUTE}.
 * Dependency names, likewise, are a small fixed set (each gets a window and a light).
 *
 * <p>Immutable and thread-safe.
 *
 * @param direction server-side inbound request or client-side outbound call
 * @param dependency the called dependency's name for {@link Direction#CLIENT}; empty for
 *     {@link Direction#SERVER}
 * @param method the HTTP method in upper case, such as {@code PUT}
 * @param route the route template, such as {@code /reservations/{orderId}}
 * @param outcome how the request ended
 */
public record RequestKey(Direction direction, String dependency, String method, String route, Outcome outcome) {

    static final int MAX_NAME_LENGTH = 64;
    static final int MAX_ROUTE_LENGTH = 256;
    static final int MAX_METHOD_LENGTH = 16;

    /** Which side of the wire a request was measured on. */
    public enum Direction {
        /** A request this service answered (inbound, measured by the server). */
        SERVER,
        /** A call this service made to a dependency (outbound, measured by the client). */
        CLIENT
    }

    /**
     * Validates the key.
     *
     * @throws NullPointerException if a component is null
     * @throws IllegalArgumentException if a component is malformed, naming it and its value
     */
    public RequestKey {
        Objects.requireNonNull(direction, "direction");
        Objects.requireNonNull(dependency, "dependency");
        Outcome.requireNonNull(outcome);
        if (direction == Direction.SERVER && !dependency.isEmpty()) {
            throw new IllegalArgumentException(
                    "dependency must be empty for a SERVER key, but was '" + dependency + "'");
        }
        if (direction == Direction.CLIENT) {
            checkDependency(dependency);
        }
        checkMethod(method);
        checkRoute(route);
    }

    /** The key of an inbound request answered by this service. */
    public static RequestKey server(String method, String route, Outcome outcome) {
        return new RequestKey(Direction.SERVER, "", method, route, outcome);
    }

    /** The key of an outbound call from this service to {@code dependency}. */
    public static RequestKey client(String dependency, String method, String route, Outcome outcome) {
        return new RequestKey(Direction.CLIENT, dependency, method, route, outcome);
    }

    RequestKey withRoute(String newRoute) {
        return new RequestKey(direction, dependency, method, newRoute, outcome);
    }

    static String checkDependency(String name) {
        Objects.requireNonNull(name, "dependency");
        if (name.isBlank() || name.length() > MAX_NAME_LENGTH || hasControlCharacter(name)) {
            throw new IllegalArgumentException("dependency must be 1 to " + MAX_NAME_LENGTH
                    + " printable characters, not blank, but was '" + name + "'");
        }
        return name;
    }

    private static void checkMethod(String method) {
        Objects.requireNonNull(method, "method");
        boolean ok = !method.isEmpty() && method.length() <= MAX_METHOD_LENGTH;
        for (int i = 0; ok && i < method.length(); i++) {
            char c = method.charAt(i);
            ok = c >= 'A' && c <= 'Z';
        }
        if (!ok) {
            throw new IllegalArgumentException(
                    "method must be 1 to " + MAX_METHOD_LENGTH + " upper-case letters, but was '" + method + "'");
        }
    }

    private static void checkRoute(String route) {
        Objects.requireNonNull(route, "route");
        if (route.isBlank() || route.length() > MAX_ROUTE_LENGTH || hasControlCharacter(route)) {
            throw new IllegalArgumentException("route must be 1 to " + MAX_ROUTE_LENGTH
                    + " printable characters, not blank, but was '" + route + "'");
        }
    }

    private static boolean hasControlCharacter(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (Character.isISOControl(s.charAt(i))) {
                return true;
            }
        }
        return false;
    }
}
