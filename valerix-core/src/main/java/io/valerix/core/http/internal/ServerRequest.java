package io.valerix.core.http.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.valerix.core.deadline.Deadline;
import io.valerix.core.http.Request;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** The server's {@link Request}: built once per exchange by the dispatcher. */
final class ServerRequest implements Request {

    private final String method;
    private final String path;
    private final String target;
    private final String route;
    private final Map<String, String> pathParams;
    private final Map<String, String> queryParams;
    private final Map<String, List<String>> headers;
    private final byte[] body;
    private final Deadline deadline;
    private final long arrivalNanos;
    private final InetSocketAddress remoteAddress;
    private final ObjectMapper mapper;
    private final Map<String, Object> attributes = new ConcurrentHashMap<>();

    ServerRequest(
            String method,
            String path,
            String target,
            String route,
            Map<String, String> pathParams,
            Map<String, String> queryParams,
            Map<String, List<String>> headers,
            byte[] body,
            Deadline deadline,
            long arrivalNanos,
            InetSocketAddress remoteAddress,
            ObjectMapper mapper) {
        this.target = target;
        this.method = method;
        this.path = path;
        this.route = route;
        this.pathParams = pathParams;
        this.queryParams = queryParams;
        this.headers = headers;
        this.body = body;
        this.deadline = deadline;
        this.arrivalNanos = arrivalNanos;
        this.remoteAddress = remoteAddress;
        this.mapper = mapper;
    }

    @Override
    public String method() {
        return method;
    }

    @Override
    public String target() {
        return target;
    }

    @Override
    public String path() {
        return path;
    }

    @Override
    public String route() {
        return route;
    }

    @Override
    public String pathParam(String name) {
        String value = pathParams.get(name);
        if (value == null) {
            throw new IllegalArgumentException("route " + route + " has no path parameter '" + name + "'");
        }
        return value;
    }

    @Override
    public Optional<String> queryParam(String name) {
        return Optional.ofNullable(queryParams.get(name));
    }

    @Override
    public Optional<String> header(String name) {
        List<String> values = headers.get(name);
        return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.get(0));
    }

    @Override
    public Map<String, List<String>> headers() {
        return headers;
    }

    @Override
    public byte[] body() {
        return body.clone();
    }

    @Override
    public <T> T bodyAs(Class<T> type) {
        return JsonBodyReader.read(mapper, header("Content-Type").orElse(null), body, type);
    }

    @Override
    public Deadline deadline() {
        return deadline;
    }

    @Override
    public long arrivalNanos() {
        return arrivalNanos;
    }

    @Override
    public InetSocketAddress remoteAddress() {
        return remoteAddress;
    }

    @Override
    public Map<String, Object> attributes() {
        return attributes;
    }

    @Override
    public String toString() {
        return method + " " + path;
    }
}
