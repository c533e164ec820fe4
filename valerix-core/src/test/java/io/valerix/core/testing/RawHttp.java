package io.valerix.core.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import okhttp3.ConnectionPool;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

/**
 * Sends hand-made requests (bad bodies, wrong types, any header) to a server, as a client outside
 * Valerix would, and reads the raw reply with how long it took. Every request is sent once: no
 * retries, not even on a failed connection. Thread-safe.
 */
public final class RawHttp {

    public static final String JSON = "application/json";

    private static final OkHttpClient CLIENT = new OkHttpClient.Builder()
            .retryOnConnectionFailure(false)
            // Load tests keep many connections busy at once; don't reopen them for every request.
            .connectionPool(new ConnectionPool(64, 1, TimeUnit.MINUTES))
            .readTimeout(Duration.ofSeconds(30))
            .callTimeout(Duration.ofSeconds(30))
            .build();
    private static final ObjectMapper MAPPER = new ObjectMapper();

    /**
     * A reply: status, headers (names case-insensitive), body, and the time from sending to the last
     * body byte.
     */
    public record Reply(int status, Map<String, List<String>> headers, String body, Duration elapsed) {

        public Reply {
            TreeMap<String, List<String>> names = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
            names.putAll(headers);
            headers = Collections.unmodifiableMap(names);
        }

        /** The first value of header {@code name}, or null. */
        public String header(String name) {
            List<String> values = headers.get(name);
            return values == null || values.isEmpty() ? null : values.get(0);
        }

        /** The Content-Type header, or null. */
        public String contentType() {
            return header("Content-Type");
        }

        public JsonNode json() {
            try {
                return MAPPER.readTree(body);
            } catch (IOException e) {
                throw new UncheckedIOException("not JSON: " + body, e);
            }
        }

        /** Field {@code name} of the JSON body as text, or "" if there is none. */
        public String field(String name) {
            return json().path(name).asText();
        }

        /** The problem type, or "" if the body is not a problem. */
        public String problemType() {
            return field("type");
        }

        /** True if an idempotent endpoint replayed a stored answer. */
        public boolean replayed() {
            return "true".equals(header("Idempotent-Replayed"));
        }

        @Override
        public String toString() {
            return status + " " + body + " in " + elapsed.toMillis() + " ms";
        }
    }

    private RawHttp() {}

    /** {@code GET uri}, the whole address given. */
    public static Reply get(URI uri, String... headers) {
        return send(uri, "GET", "", null, null, headers);
    }

    /** {@code POST} of a JSON body. */
    public static Reply post(URI base, String rawPath, String json, String... headers) {
        return send(base, "POST", rawPath, JSON, json, headers);
    }

    /** Any request with a JSON body, or none if {@code json} is null. */
    public static Reply sendJson(URI base, String method, String rawPath, String json, String... headers) {
        return send(base, method, rawPath, json == null ? null : JSON, json, headers);
    }

    /**
     * Any request: {@code rawPath} is sent as given (already percent-encoded), {@code headers} are
     * name, value pairs (a name may repeat; a pair with a null value is not sent). The body is
     * encoded in the content type's charset (UTF-8 if it names none) and the content type sent as
     * given; a null content type sends the body without one, a null body on POST or PUT sends an
     * empty one. The body of a {@code text/event-stream} reply is not read: it does not end.
     */
    public static Reply send(
            URI base, String method, String rawPath, String contentType, String body, String... headers) {
        MediaType type = contentType == null ? null : MediaType.get(contentType);
        RequestBody requestBody = body == null
                ? (method.equals("PUT") || method.equals("POST") ? RequestBody.create(new byte[0]) : null)
                : RequestBody.create(
                        body.getBytes(type == null ? StandardCharsets.UTF_8 : type.charset(StandardCharsets.UTF_8)),
                        type);
        Request.Builder request = new Request.Builder().url(base + rawPath).method(method, requestBody);
        for (int i = 0; i < headers.length; i += 2) {
            if (headers[i + 1] != null) {
                request.addHeader(headers[i], headers[i + 1]);
            }
        }
        long start = System.nanoTime();
        try (Response response = CLIENT.newCall(request.build()).execute()) {
            String replyType = response.header("Content-Type");
            String text = replyType != null && replyType.startsWith("text/event-stream")
                    ? ""
                    : response.body().string();
            return new Reply(
                    response.code(),
                    response.headers().toMultimap(),
                    text,
                    Duration.ofNanos(System.nanoTime() - start));
        } catch (IOException e) {
            throw new UncheckedIOException(method + " " + rawPath + " failed", e);
        }
    }
}
