package io.valerix.core.idempotency;

import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * A frozen HTTP answer kept in an {@link IdempotencyRecord} and replayed to retries: the status,
 * the headers chosen by {@link IdempotencyConfig.Builder#storedHeaders(String...)} (and always
 * {@code Content-Type}), and the body bytes exactly as first sent.
 *
 * <p>Immutable and thread-safe: the constructor and {@link #body()} copy the array, and headers
 * are an unmodifiable map with case-insensitive names.
 *
 * @param status the HTTP status, 100..599
 * @param headers header values by name
 * @param body the body bytes; empty for a reply without a body
 */
public record StoredResponse(int status, Map<String, List<String>> headers, byte[] body) {

    /**
     * @throws NullPointerException if {@code headers} or {@code body} is null
     * @throws IllegalArgumentException if {@code status} is not 100..599
     */
    public StoredResponse {
        if (status < 100 || status > 599) {
            throw new IllegalArgumentException("status must be 100..599, but was " + status);
        }
        Objects.requireNonNull(headers, "headers");
        Objects.requireNonNull(body, "body");
        Map<String, List<String>> copy = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        headers.forEach((name, values) -> copy.put(Objects.requireNonNull(name, "header name"), List.copyOf(values)));
        headers = Collections.unmodifiableMap(copy);
        body = body.clone();
    }

    /** A copy of the body bytes. */
    @Override
    public byte[] body() {
        return body.clone();
    }

    /** The body's length in bytes, without copying it. */
    public int bodyLength() {
        return body.length;
    }

    /** The first value of header {@code name} (case-insensitive), or null. */
    public String header(String name) {
        List<String> values = headers.get(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof StoredResponse that
                && status == that.status
                && headers.equals(that.headers)
                && Arrays.equals(body, that.body);
    }

    @Override
    public int hashCode() {
        return Objects.hash(status, headers, Arrays.hashCode(body));
    }

    @Override
    public String toString() {
        return "StoredResponse[" + status + ", " + headers + ", " + body.length + " bytes]";
    }
}
