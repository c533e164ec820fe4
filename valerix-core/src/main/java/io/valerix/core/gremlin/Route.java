package io.valerix.core.gremlin;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Which requests a {@link GremlinRule} applies to: an HTTP method and a path pattern, written
 * {@code "PUT /reservations/*"}.
 *
 * <p>The method is an upper-case token or {@code *} for any method. The pattern starts with
 * {@code /}; each segment is a literal (matched exactly, case-sensitively), {@code *} (exactly one
 * non-empty segment) or, as the last segment only, {@code **} (zero or more segments). So {@code
 * /reservations/*} matches {@code /reservations/o-1} but neither {@code /reservations} nor {@code
 * /reservations/o-1/items}; {@code /reservations/**} matches all three. A query string ({@code
 * ?…}) in the request path is ignored. {@link #any()} is {@code * /**}.
 *
 * <p>Immutable and thread-safe.
 */
public final class Route {

    private static final Route ANY = new Route("*", "/**");
    private static final Pattern METHOD = Pattern.compile("\\*|[A-Z]+");
    private static final Pattern LITERAL_SEGMENT = Pattern.compile("[A-Za-z0-9._~!$&'()+,;=:@%-]+");

    private final String method;
    private final String pattern;
    private final List<String> segments;

    private Route(String method, String pattern) {
        this.method = method;
        this.pattern = pattern;
        this.segments = segments(pattern);
    }

    /** Every method and every path: {@code * /**}. */
    public static Route any() {
        return ANY;
    }

    /**
     * The route for {@code method} and {@code pattern}.
     *
     * @throws IllegalArgumentException naming the bad value when the method is not upper-case or
     *     {@code *}, or the pattern does not start with {@code /}, has an empty segment, a partial
     *     wildcard like {@code res*}, or {@code **} before its last segment
     */
    public static Route of(String method, String pattern) {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(pattern, "pattern");
        if (!METHOD.matcher(method).matches()) {
            throw new IllegalArgumentException(
                    "route method must be upper-case letters or '*', but was '" + method + "'");
        }
        if (!pattern.startsWith("/")) {
            throw new IllegalArgumentException("route pattern must start with '/', but was '" + pattern + "'");
        }
        List<String> segments = segments(pattern);
        for (int i = 0; i < segments.size(); i++) {
            String segment = segments.get(i);
            if (segment.equals("**") && i != segments.size() - 1) {
                throw new IllegalArgumentException(
                        "'**' must be the last segment of a route pattern, but was used in '" + pattern + "'");
            }
            if (!segment.equals("*") && !segment.equals("**")) {
                if (segment.isEmpty()) {
                    throw new IllegalArgumentException(
                            "route pattern must not have an empty segment, but was '" + pattern + "'");
                }
                if (!LITERAL_SEGMENT.matcher(segment).matches()) {
                    throw new IllegalArgumentException("bad segment '" + segment + "' in route pattern '" + pattern
                            + "' (a segment is a literal, '*' or '**')");
                }
            }
        }
        boolean any = ANY.method.equals(method) && ANY.pattern.equals(pattern);
        return any ? ANY : new Route(method, pattern);
    }

    /**
     * Parses {@code "METHOD /pattern"}: a method, one or more spaces, a pattern.
     *
     * @throws IllegalArgumentException naming the text when it is not of that shape, or for the
     *     reasons of {@link #of}
     */
    public static Route parse(String text) {
        Objects.requireNonNull(text, "text");
        String[] parts = text.strip().split(" +");
        if (parts.length != 2 || text.isBlank()) {
            throw new IllegalArgumentException("route must be '<METHOD> /<path pattern>', but was '" + text + "'");
        }
        return of(parts[0], parts[1]);
    }

    /** The method, or {@code *} for any. */
    public String method() {
        return method;
    }

    /** The path pattern. */
    public String pattern() {
        return pattern;
    }

    /** Whether this is {@link #any()}. */
    public boolean isAny() {
        return this.equals(ANY);
    }

    /** Whether a request with {@code method} and {@code path} is selected by this route. */
    public boolean matches(String method, String path) {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(path, "path");
        if (!this.method.equals("*") && !this.method.equals(method)) {
            return false;
        }
        int query = path.indexOf('?');
        List<String> actual = segments(query < 0 ? path : path.substring(0, query));
        for (int i = 0; i < segments.size(); i++) {
            String expected = segments.get(i);
            if (expected.equals("**")) {
                return true;
            }
            if (i >= actual.size()) {
                return false;
            }
            String segment = actual.get(i);
            boolean ok = expected.equals("*") ? !segment.isEmpty() : expected.equals(segment);
            if (!ok) {
                return false;
            }
        }
        return actual.size() == segments.size();
    }

    private static List<String> segments(String path) {
        String rest = path.startsWith("/") ? path.substring(1) : path;
        return rest.isEmpty() ? List.of() : Arrays.asList(rest.split("/", -1));
    }

    /** The text form, {@code METHOD /pattern}. */
    @Override
    public String toString() {
        return method + " " + pattern;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Route other && method.equals(other.method) && pattern.equals(other.pattern);
    }

    @Override
    public int hashCode() {
        return Objects.hash(method, pattern);
    }
}
