package io.valerix.harness.dashboard.internal;

import io.valerix.core.http.Problem;
import io.valerix.core.http.ProblemType;
import io.valerix.core.http.Request;
import io.valerix.core.http.Response;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * Forwards {@code GET|PUT /dashboard/api/gremlin} to inventory's {@code /admin/gremlin}, so the
 * page changes the gremlin without leaving its origin (no CORS).
 *
 * <p>It holds no secret: the caller's {@code Authorization} header travels as it came and
 * inventory's token filter judges it, answering 401 or 403 exactly as it would to the caller. So
 * the dashboard grants nothing that the admin token does not. Only this one upstream path is
 * reachable; nothing of the request picks the target.
 *
 * <p>Thread-safe.
 */
public final class GremlinProxy implements AutoCloseable {

    /** Inventory could not be asked. */
    public static final ProblemType UPSTREAM_FAILED =
            ProblemType.of("dashboard-upstream-failed", "Inventory did not answer", 502);

    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    private final URI target;
    private final HttpClient client;

    public GremlinProxy(URI inventory) {
        this.target = Objects.requireNonNull(inventory, "inventory").resolve("/admin/gremlin");
        this.client = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(TIMEOUT)
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    /** Forwards {@code request} (GET or PUT) and answers with inventory's status, type and body. */
    public Response forward(Request request) throws InterruptedException {
        HttpRequest.Builder upstream = HttpRequest.newBuilder(target).timeout(TIMEOUT);
        request.header("Authorization").ifPresent(value -> upstream.header("Authorization", value));
        if (request.method().equals("PUT")) {
            upstream.header("Content-Type", request.header("Content-Type").orElse("application/json"));
            upstream.PUT(HttpRequest.BodyPublishers.ofByteArray(request.body()));
        } else {
            upstream.GET();
        }
        HttpResponse<byte[]> answer;
        try {
            answer = client.send(upstream.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            return Response.problem(
                    Problem.of(UPSTREAM_FAILED, "inventory's admin API at " + target + " failed: " + e));
        }
        String contentType = answer.headers().firstValue("Content-Type").orElse("application/octet-stream");
        Response response =
                Response.bytes(answer.statusCode(), contentType, answer.body()).withHeader("Cache-Control", "no-store");
        Optional<String> challenge = answer.headers().firstValue("WWW-Authenticate");
        return challenge.isPresent() ? response.withHeader("WWW-Authenticate", challenge.get()) : response;
    }

    @Override
    public void close() {
        client.close();
    }
}
