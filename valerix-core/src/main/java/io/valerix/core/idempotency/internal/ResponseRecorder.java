package io.valerix.core.idempotency.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.valerix.core.http.Response;
import io.valerix.core.http.ValerixHeaders;
import io.valerix.core.idempotency.IdempotencyConfig;
import io.valerix.core.idempotency.StoredResponse;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Freezes a handler's {@link Response} into a {@link StoredResponse} and thaws it back, so the
 * first answer and every replay carry the same status, stored headers and body bytes.
 *
 * <p>Thread-safe.
 */
final class ResponseRecorder {

    /** The JDBC column holds 8000 characters of header JSON; stay clear of it with the overhead. */
    static final int MAX_STORED_HEADER_CHARS = 6000;

    private final IdempotencyConfig config;

    ResponseRecorder(IdempotencyConfig config) {
        this.config = config;
    }

    /**
     * An answer ready to store ({@code stored} set), or the reason it cannot be stored ({@code
     * notStoredBecause} set, for the log). {@code body} is the serialized body when there is one.
     */
    record Frozen(StoredResponse stored, byte[] body, String notStoredBecause) {}

    /**
     * The answer as it will be stored, or the reason it cannot be: a streamed body, a body over the
     * limit, headers over the limit, or an entity the mapper cannot write.
     */
    Frozen freeze(Response response) {
        if (response.stream() != null) {
            return new Frozen(null, null, "its body is streamed");
        }
        byte[] body;
        if (response.entity() != null) {
            try {
                body = config.objectMapper().writeValueAsBytes(response.entity());
            } catch (JsonProcessingException e) {
                return new Frozen(null, null, "its entity cannot be written as JSON: " + e.getOriginalMessage());
            }
        } else {
            byte[] bytes = response.bytes();
            body = bytes == null ? new byte[0] : bytes;
        }
        if (body.length > config.maxStoredBodyBytes()) {
            return new Frozen(
                    null,
                    body,
                    "its body of " + body.length + " bytes is over the limit of " + config.maxStoredBodyBytes());
        }
        Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        int chars = 0;
        for (String name : storedHeaderNames()) {
            List<String> values = response.headers().get(name);
            if (values != null && !values.isEmpty()) {
                headers.put(name, values);
                chars += name.length()
                        + values.stream().mapToInt(v -> v.length() + 4).sum();
            }
        }
        if (chars > MAX_STORED_HEADER_CHARS) {
            return new Frozen(null, body, "its stored headers are over " + MAX_STORED_HEADER_CHARS + " characters");
        }
        return new Frozen(new StoredResponse(response.status(), headers, body), body, null);
    }

    /**
     * The first answer, with its body as the bytes that were stored (so the replays match it byte
     * for byte) and every header the handler set, stored or not.
     */
    static Response firstAnswer(Response original, byte[] body) {
        String contentType = original.header("Content-Type");
        Response answer = contentType == null && body.length == 0
                ? Response.empty(original.status())
                : Response.bytes(
                        original.status(), contentType == null ? "application/octet-stream" : contentType, body);
        answer = withHeaders(answer, original.headers());
        return original.bodyWrapper() == null ? answer : answer.wrapBody(original.bodyWrapper());
    }

    /** A replay of {@code stored}, marked {@code Idempotent-Replayed: true}. */
    static Response replay(StoredResponse stored) {
        String contentType = stored.header("Content-Type");
        Response answer = contentType == null && stored.bodyLength() == 0
                ? Response.empty(stored.status())
                : Response.bytes(
                        stored.status(), contentType == null ? "application/octet-stream" : contentType, stored.body());
        return withHeaders(answer, stored.headers()).withHeader(ValerixHeaders.IDEMPOTENT_REPLAYED, "true");
    }

    private List<String> storedHeaderNames() {
        return Stream.concat(Stream.of("Content-Type"), config.storedHeaders().stream())
                .toList();
    }

    private static Response withHeaders(Response answer, Map<String, List<String>> headers) {
        Response result = answer;
        for (Map.Entry<String, List<String>> header : headers.entrySet()) {
            if (header.getKey().equalsIgnoreCase("Content-Type")) {
                continue;
            }
            for (String value : header.getValue()) {
                result = result.withHeader(header.getKey(), value);
            }
        }
        return result;
    }
}
