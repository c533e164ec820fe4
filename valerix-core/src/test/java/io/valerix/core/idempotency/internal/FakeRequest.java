package io.valerix.core.idempotency.internal;

import io.valerix.core.deadline.Deadline;
import io.valerix.core.http.Request;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/** A {@link Request} built in memory, for unit tests of what the filter derives from requests. */
record FakeRequest(
        String method,
        String path,
        String route,
        Map<String, List<String>> headers,
        byte[] rawBody,
        Map<String, Object> attributes)
        implements Request {

    static FakeRequest json(String method, String path, String route, String body, String... headers) {
        Map<String, List<String>> map = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        map.put("Content-Type", List.of("application/json"));
        for (int i = 0; i < headers.length; i += 2) {
            map.computeIfAbsent(headers[i], k -> new ArrayList<>()).add(headers[i + 1]);
        }
        return new FakeRequest(
                method,
                path,
                route,
                Collections.unmodifiableMap(map),
                body.getBytes(StandardCharsets.UTF_8),
                new ConcurrentHashMap<>());
    }

    static FakeRequest post(String body) {
        return json("POST", "/orders", "POST /orders", body);
    }

    FakeRequest withContentType(String contentType) {
        Map<String, List<String>> map = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        map.putAll(headers);
        map.put("Content-Type", List.of(contentType));
        return new FakeRequest(method, path, route, map, rawBody, new ConcurrentHashMap<>());
    }

    @Override
    public String pathParam(String name) {
        throw new IllegalArgumentException("no path parameters in a fake request");
    }

    @Override
    public Optional<String> queryParam(String name) {
        return Optional.empty();
    }

    @Override
    public Optional<String> header(String name) {
        List<String> values = headers.get(name);
        return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.get(0));
    }

    @Override
    public byte[] body() {
        return rawBody.clone();
    }

    @Override
    public <T> T bodyAs(Class<T> type) {
        throw new UnsupportedOperationException("not needed by these tests");
    }

    @Override
    public Deadline deadline() {
        return Deadline.after(Duration.ofSeconds(30));
    }

    @Override
    public InetSocketAddress remoteAddress() {
        return new InetSocketAddress("127.0.0.1", 1);
    }
}
