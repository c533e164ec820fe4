package io.valerix.core.http;

import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.function.UnaryOperator;

/**
 * An HTTP reply: a status, headers and a body that is a JSON entity, raw bytes or a stream.
 *
 * <p>Immutable; the {@code with…} methods return copies.
 */
public final class Response {

    /** Writes a streamed body, for example server-sent events. */
    @FunctionalInterface
    public interface BodyWriter {
        void writeTo(OutputStream out) throws IOException;
    }

    private static final Response DROP = new Response(0, Map.of(), null, null, null, null);

    private final int status;
    private final Map<String, List<String>> headers;
    private final Object entity;
    private final byte[] bytes;
    private final BodyWriter stream;
    private final UnaryOperator<OutputStream> bodyWrapper;

    private Response(
            int status,
            Map<String, List<String>> headers,
            Object entity,
            byte[] bytes,
            BodyWriter stream,
            UnaryOperator<OutputStream> bodyWrapper) {
        this.status = status;
        this.headers = headers;
        this.entity = entity;
        this.bytes = bytes;
        this.stream = stream;
        this.bodyWrapper = bodyWrapper;
    }

    /** {@code body} serialized as JSON by the server's mapper. */
    public static Response json(int status, Object body) {
        Objects.requireNonNull(body, "body");
        return new Response(checkStatus(status), headersOf("Content-Type", "application/json"), body, null, null, null);
    }

    /** An empty reply, for example 204 No Content. */
    public static Response empty(int status) {
        return new Response(checkStatus(status), Map.of(), null, null, null, null);
    }

    /** A problem reply with the problem's status. */
    public static Response problem(Problem problem) {
        Objects.requireNonNull(problem, "problem");
        return new Response(
                checkStatus(problem.status()),
                headersOf("Content-Type", Problem.MEDIA_TYPE),
                problem,
                null,
                null,
                null);
    }

    /** Raw bytes of the given content type, for example a replayed reply or a page. */
    public static Response bytes(int status, String contentType, byte[] body) {
        Objects.requireNonNull(contentType, "contentType");
        Objects.requireNonNull(body, "body");
        return new Response(
                checkStatus(status), headersOf("Content-Type", contentType), null, body.clone(), null, null);
    }

    /** A body written as it is produced (chunked), for example server-sent events. */
    public static Response stream(int status, String contentType, BodyWriter writer) {
        Objects.requireNonNull(contentType, "contentType");
        Objects.requireNonNull(writer, "writer");
        return new Response(checkStatus(status), headersOf("Content-Type", contentType), null, null, writer, null);
    }

    /**
     * No reply at all: the server closes the connection without answering, as a crashed peer or a
     * broken network would. The gremlin's {@code reset} fault uses it.
     */
    public static Response dropConnection() {
        return DROP;
    }

    /** A copy with {@code value} added to header {@code name}. */
    public Response withHeader(String name, String value) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(value, "value");
        requireNotDropped();
        Map<String, List<String>> copy = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        headers.forEach((k, v) -> copy.put(k, new ArrayList<>(v)));
        if (name.equalsIgnoreCase("Content-Type")) {
            copy.put(name, new ArrayList<>(List.of(value)));
        } else {
            copy.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
        }
        return new Response(status, freeze(copy), entity, bytes, stream, bodyWrapper);
    }

    /**
     * A copy whose body is written through {@code wrapper}; the gremlin uses it to trickle a body
     * out slowly. Wrappers compose, the last added outermost.
     */
    public Response wrapBody(UnaryOperator<OutputStream> wrapper) {
        Objects.requireNonNull(wrapper, "wrapper");
        requireNotDropped();
        UnaryOperator<OutputStream> combined =
                bodyWrapper == null ? wrapper : out -> wrapper.apply(bodyWrapper.apply(out));
        return new Response(status, headers, entity, bytes, stream, combined);
    }

    public int status() {
        return status;
    }

    /** Headers by case-insensitive name, unmodifiable. */
    public Map<String, List<String>> headers() {
        return headers;
    }

    /** The first value of header {@code name}, or null. */
    public String header(String name) {
        List<String> values = headers.get(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    /** The JSON entity, or null if the body is bytes, a stream or empty. */
    public Object entity() {
        return entity;
    }

    /** The raw body, or null if the body is an entity, a stream or empty. */
    public byte[] bytes() {
        return bytes == null ? null : bytes.clone();
    }

    /** The stream writer, or null. */
    public BodyWriter stream() {
        return stream;
    }

    /** The body wrapper, or null. */
    public UnaryOperator<OutputStream> bodyWrapper() {
        return bodyWrapper;
    }

    /** True for {@link #dropConnection()}. */
    public boolean dropsConnection() {
        return this == DROP;
    }

    @Override
    public String toString() {
        return dropsConnection() ? "Response[drop connection]" : "Response[" + status + "]";
    }

    private void requireNotDropped() {
        if (dropsConnection()) {
            throw new IllegalStateException("a dropped connection has no headers or body");
        }
    }

    private static int checkStatus(int status) {
        if (status < 100 || status > 599) {
            throw new IllegalArgumentException("status must be 100..599, but was " + status);
        }
        return status;
    }

    private static Map<String, List<String>> headersOf(String name, String value) {
        Map<String, List<String>> map = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        map.put(name, List.of(value));
        return freeze(map);
    }

    private static Map<String, List<String>> freeze(Map<String, List<String>> map) {
        Map<String, List<String>> frozen = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        map.forEach((k, v) -> frozen.put(k, List.copyOf(v)));
        return Collections.unmodifiableMap(frozen);
    }
}
