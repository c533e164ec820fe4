package io.valerix.core.http;

import java.net.URI;
import java.util.Objects;

/**
 * A kind of error with a stable RFC 9457 {@code type} URI, a short title and an HTTP status.
 *
 * <p>Types are URNs, {@code urn:valerix:problem:<slug>}: stable identifiers clients can switch on,
 * not links. Libraries define their own types with {@link #of(String, String, int)}.
 *
 * @param type the problem type URI
 * @param title a short, human-readable summary that does not change between occurrences
 * @param status the HTTP status this problem is answered with
 */
public record ProblemType(URI type, String title, int status) {

    /** Malformed JSON syntax in the request body. */
    public static final ProblemType MALFORMED_JSON = of("malformed-json", "Malformed JSON", 400);
    /** Well-formed JSON of the wrong shape: a wrong type, a missing or invalid field. */
    public static final ProblemType INVALID_REQUEST = of("invalid-request", "Invalid request", 400);
    /** The request lacked or had an invalid {@code Authorization} bearer token. */
    public static final ProblemType UNAUTHORIZED = of("unauthorized", "Unauthorized", 401);
    /** The bearer token was valid in form but not the right one. */
    public static final ProblemType FORBIDDEN = of("forbidden", "Forbidden", 403);
    /** No route matches the path. */
    public static final ProblemType NOT_FOUND = of("not-found", "Not found", 404);
    /** A route matches the path but not the method; the answer lists the allowed ones. */
    public static final ProblemType METHOD_NOT_ALLOWED = of("method-not-allowed", "Method not allowed", 405);
    /**
     * The request did not arrive in time: its headers took longer than the header read timeout or
     * its body came slower than the minimum data rate. The connection is closed after the answer.
     */
    public static final ProblemType REQUEST_TIMEOUT = of("request-timeout", "Request timeout", 408);
    /** The body is larger than the server accepts. */
    public static final ProblemType PAYLOAD_TOO_LARGE = of("payload-too-large", "Payload too large", 413);
    /** The request target (path and query) is longer than the server accepts. */
    public static final ProblemType URI_TOO_LONG = of("uri-too-long", "URI too long", 414);
    /** The body is not {@code application/json}. */
    public static final ProblemType UNSUPPORTED_MEDIA_TYPE =
            of("unsupported-media-type", "Unsupported media type", 415);
    /** A header is larger than the server accepts. */
    public static final ProblemType HEADER_TOO_LARGE = of("header-too-large", "Request header too large", 431);
    /** The handler failed; the body says nothing about why, the server log does. */
    public static final ProblemType INTERNAL = of("internal", "Internal server error", 500);
    /** The request's HTTP version is not one the server speaks (HTTP/1.0 and HTTP/1.1). */
    public static final ProblemType HTTP_VERSION_NOT_SUPPORTED =
            of("http-version-not-supported", "HTTP version not supported", 505);
    /** The server is shedding load; retry after the time in {@code Retry-After}. */
    public static final ProblemType OVERLOADED = of("overloaded", "Overloaded", 503);
    /** The caller's deadline passed before the work could be done; nothing was done. */
    public static final ProblemType DEADLINE_EXCEEDED = of("deadline-exceeded", "Deadline exceeded", 504);

    private static final String PREFIX = "urn:valerix:problem:";

    public ProblemType {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(title, "title");
        if (status < 400 || status > 599) {
            throw new IllegalArgumentException("status must be 4xx or 5xx, but was " + status);
        }
    }

    /** A type {@code urn:valerix:problem:<slug>}. */
    public static ProblemType of(String slug, String title, int status) {
        Objects.requireNonNull(slug, "slug");
        if (!slug.matches("[a-z0-9]+(-[a-z0-9]+)*")) {
            throw new IllegalArgumentException("slug must be lower-case words joined by '-', but was '" + slug + "'");
        }
        return new ProblemType(URI.create(PREFIX + slug), title, status);
    }

    /** An exception that answers with this problem and {@code detail}. */
    public ProblemException exception(String detail) {
        return new ProblemException(Problem.of(this, detail));
    }
}
