package io.valerix.core.gremlin.internal;

import io.valerix.core.http.Filter;
import io.valerix.core.http.Handler;
import io.valerix.core.http.ProblemType;
import io.valerix.core.http.Request;
import io.valerix.core.http.Response;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * The innermost filter of a gremlin proxy: sends the request on to the upstream and answers with
 * what the upstream answered (status, headers, body), minus the hop-by-hop headers. Requests
 * {@code local} selects go on to the proxy's own routes instead. An upstream that cannot be
 * reached is 502 {@code upstream-unreachable}; one that does not answer within the request's
 * deadline, 504 {@code upstream-timeout}. Thread-safe.
 */
public final class UpstreamForwarder implements Filter {

    /** The upstream could not be reached (refused, reset, unknown host). */
    public static final ProblemType UNREACHABLE = ProblemType.of("upstream-unreachable", "Upstream unreachable", 502);
    /** The upstream did not answer within the request's deadline. */
    public static final ProblemType TIMEOUT = ProblemType.of("upstream-timeout", "Upstream timeout", 504);

    // Hop-by-hop headers (RFC 9110 §7.6.1) and those the JDK client sets itself and refuses to take.
    private static final Set<String> NOT_FORWARDED = Set.of(
            "connection",
            "keep-alive",
            "proxy-connection",
            "proxy-authenticate",
            "proxy-authorization",
            "te",
            "trailer",
            "transfer-encoding",
            "upgrade",
            "host",
            "content-length",
            "expect",
            "date",
            "http2-settings");

    private final URI upstream;
    private final HttpClient client;
    private final Predicate<String> local;

    public UpstreamForwarder(URI upstream, HttpClient client, Predicate<String> local) {
        this.upstream = upstream;
        this.client = client;
        this.local = local;
    }

    @Override
    public Response filter(Request request, Handler next) throws Exception {
        if (local.test(request.path())) {
            return next.handle(request);
        }
        Duration remaining = request.deadline().remaining();
        if (remaining.toMillis() < 1) {
            throw TIMEOUT.exception("the deadline passed before " + request.method() + " " + request.path()
                    + " could be sent upstream");
        }
        HttpRequest.Builder out = HttpRequest.newBuilder(upstreamUri(request.target()))
                .timeout(remaining)
                .method(
                        request.method(),
                        request.body().length == 0
                                ? HttpRequest.BodyPublishers.noBody()
                                : HttpRequest.BodyPublishers.ofByteArray(request.body()));
        request.headers().forEach((name, values) -> {
            if (!NOT_FORWARDED.contains(name.toLowerCase(Locale.ROOT))) {
                values.forEach(value -> out.header(name, value));
            }
        });
        HttpResponse<byte[]> answer;
        try {
            answer = client.send(out.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (HttpTimeoutException e) {
            throw TIMEOUT.exception(upstream + " did not answer " + request.method() + " " + request.path() + " within "
                    + remaining.toMillis() + " ms");
        } catch (ConnectException e) {
            throw UNREACHABLE.exception("could not connect to " + upstream + ": " + e);
        } catch (IOException e) {
            throw UNREACHABLE.exception(upstream + " broke off " + request.method() + " " + request.path() + ": " + e);
        }
        return toResponse(answer);
    }

    private URI upstreamUri(String target) {
        String base = upstream.toString();
        if (base.endsWith("/")) {
            base = base.substring(0, base.length() - 1);
        }
        return URI.create(base + target);
    }

    private static Response toResponse(HttpResponse<byte[]> answer) {
        byte[] body = answer.body();
        String contentType = answer.headers().firstValue("Content-Type").orElse(null);
        Response response = contentType == null && body.length == 0
                ? Response.empty(answer.statusCode())
                : Response.bytes(
                        answer.statusCode(), contentType == null ? "application/octet-stream" : contentType, body);
        for (Map.Entry<String, List<String>> header : answer.headers().map().entrySet()) {
            String name = header.getKey();
            String lower = name.toLowerCase(Locale.ROOT);
            if (lower.startsWith(":") || lower.equals("content-type") || NOT_FORWARDED.contains(lower)) {
                continue;
            }
            for (String value : header.getValue()) {
                response = response.withHeader(name, value);
            }
        }
        return response;
    }
}
