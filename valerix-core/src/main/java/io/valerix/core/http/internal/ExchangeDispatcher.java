package io.valerix.core.http.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.valerix.core.deadline.Deadline;
import io.valerix.core.http.Filter;
import io.valerix.core.http.Handler;
import io.valerix.core.http.OperatorPaths;
import io.valerix.core.http.Problem;
import io.valerix.core.http.ProblemException;
import io.valerix.core.http.ProblemType;
import io.valerix.core.http.Request;
import io.valerix.core.http.Response;
import io.valerix.core.http.ValerixHeaders;
import io.valerix.core.time.NanoClock;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.io.EofException;
import org.eclipse.jetty.util.BufferUtil;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * The Jetty handler behind {@code JsonServer}: turns each Jetty request into a {@link Request},
 * admits it, runs it through the filter chain to the route handler and writes the {@link Response}.
 *
 * <p>Order per request: route, read the body (size limit, minimum rate), then admission. A request
 * takes an in-flight permit only once its body has arrived, so slow bodies cannot starve the
 * bound; past the bound it is answered 503 {@code overloaded} through the {@linkplain
 * Filter#seesRefusedRequests() refusal-aware filters} only, in microseconds. So is a request whose
 * body could not be read (408, 413, 400), which then closes its connection.
 *
 * <p>Routing, header and body checks happen before the filters but their failures are raised
 * only at the innermost end of the chain, so filters (latency recording, the gremlin) see bad
 * requests too, with the status the client will see.
 *
 * <p>Runs on virtual threads (Jetty dispatches blocking handlers to them), so blocking here is
 * cheap. Thread-safe.
 */
public final class ExchangeDispatcher extends org.eclipse.jetty.server.Handler.Abstract {

    private static final Logger log = LoggerFactory.getLogger(ExchangeDispatcher.class);
    private static final String UNMATCHED = "UNMATCHED";

    /** Thrown from a filter chain so the server closes the connection without a reply. */
    private static final class DropConnection extends RuntimeException {
        private static final long serialVersionUID = 1L;

        DropConnection() {
            super("connection dropped on purpose", null, false, false);
        }
    }

    private final RouteTable routes;
    private final Handler chain;
    private final Handler refusedChain;
    private final ObjectMapper mapper;
    private final RequestBodyReader bodies;
    private final Duration maxDeadline;
    // Jetty's begin time is System.nanoTime(); deadlines read the same clock.
    private final NanoClock clock = NanoClock.system();
    private final AtomicLong requestIds = new AtomicLong();
    private final Semaphore admitted;

    public ExchangeDispatcher(
            RouteTable routes,
            List<Filter> filters,
            ObjectMapper mapper,
            long maxBodyBytes,
            long minRequestBytesPerSecond,
            Duration maxDeadline,
            int maxInFlight) {
        this.routes = routes;
        this.admitted = new Semaphore(maxInFlight);
        this.mapper = mapper;
        this.bodies = new RequestBodyReader(maxBodyBytes, minRequestBytesPerSecond, clock);
        this.maxDeadline = maxDeadline;
        this.chain = chainOf(filters, request -> answerProblems(request, ExchangeDispatcher::invokeRoute));
        this.refusedChain = chainOf(
                filters.stream().filter(Filter::seesRefusedRequests).toList(),
                request -> answerProblems(request, ExchangeDispatcher::invokeRoute));
    }

    private static Handler chainOf(List<Filter> filters, Handler innermost) {
        Handler handler = innermost;
        for (int i = filters.size() - 1; i >= 0; i--) {
            Filter filter = filters.get(i);
            Handler next = handler;
            handler = request -> answerProblems(request, r -> filter.filter(r, next));
        }
        return handler;
    }

    @Override
    public boolean handle(
            org.eclipse.jetty.server.Request jetty, org.eclipse.jetty.server.Response out, Callback callback) {
        MDC.put("requestId", Long.toString(requestIds.incrementAndGet()));
        // From here on the deadline bounds the work, not the idle timeout: a route that takes longer
        // than the idle timeout (a gremlin delay, a slow inventory) must still answer, not be failed
        // by Jetty in the middle of its work. Registered first thing, so that a busy machine that is
        // slow to get here cannot let the idle timeout in before it; a body that stalls is bounded by
        // the body reader's minimum data rate instead.
        jetty.addIdleTimeoutListener(timeout -> false);
        boolean admittedHere = false;
        try {
            Incoming incoming = toRequest(jetty);
            if (incoming.clientGone()) {
                callback.failed(new EofException("the client closed the connection while sending the body"));
                return true;
            }
            ServerRequest request = incoming.request();
            // Admission after the body: only a request ready to run a route counts against the bound.
            // One already answered by a problem (404, 405, ...) runs no route and needs no permit; one
            // whose body failed, or one past the bound, is refused through the refusal-aware filters only.
            Response response;
            if (incoming.closeAfter()) {
                response = answerProblems(request, refusedChain);
            } else if (OperatorPaths.matches(request.path()) || incoming.early()) {
                response = answerProblems(request, chain);
            } else if (admitted.tryAcquire()) {
                admittedHere = true;
                response = answerProblems(request, chain);
            } else {
                request.attributes().put(Terminal.class.getName(), new Terminal(null, overloaded()));
                response = answerProblems(request, refusedChain);
            }
            if (response.dropsConnection()) {
                drop(jetty, callback);
                return true;
            }
            write(jetty, out, callback, request, response, incoming.closeAfter());
        } catch (DropConnection drop) {
            drop(jetty, callback);
        } catch (RuntimeException | Error failure) {
            log.error("answering a request failed", failure);
            callback.failed(failure);
        } finally {
            if (admittedHere) {
                admitted.release();
            }
            MDC.remove("requestId");
            MDC.remove("route");
        }
        return true;
    }

    private static ProblemException overloaded() {
        return new ProblemException(
                Problem.of(ProblemType.OVERLOADED, "the server is at its limit of requests in flight; retry shortly"),
                "1");
    }

    /** A request as read, and whether the connection must close after the answer. */
    private record Incoming(ServerRequest request, boolean early, boolean closeAfter, boolean clientGone) {}

    private Incoming toRequest(org.eclipse.jetty.server.Request jetty) {
        long arrival = DispatchStamp.takeOr(jetty.getBeginNanoTime());
        String method = jetty.getMethod();
        Map<String, List<String>> headers = copyHeaders(jetty.getHeaders());
        ProblemException early = null;
        String rawPath = jetty.getHttpURI().getPath();
        String path = rawPath == null || rawPath.isEmpty() ? "/" : rawPath;
        String route = UNMATCHED;
        Map<String, String> params = Map.of();
        Map<String, String> query = Map.of();
        Handler handler = null;
        try {
            List<String> segments =
                    RouteTable.split(path).stream().map(PathCodec::decode).toList();
            path = "/" + String.join("/", segments);
            query = parseQuery(jetty.getHttpURI().getQuery());
            // Methods are case-sensitive (RFC 9110 §9.1): "post" is not POST, and gets 405 below.
            RouteTable.Match match = routes.match(method, segments);
            if (match instanceof RouteTable.Found found) {
                route = method + " " + found.route().template();
                params = found.params();
                handler = found.route().handler();
            } else if (match instanceof RouteTable.MethodNotAllowed notAllowed) {
                early = new ProblemException(Problem.of(
                                ProblemType.METHOD_NOT_ALLOWED,
                                abbreviate(method) + " is not allowed on " + path + "; allowed: "
                                        + String.join(", ", notAllowed.allowed()))
                        .with("allowed", List.copyOf(notAllowed.allowed())));
            } else {
                early = ProblemType.NOT_FOUND.exception("no route for " + abbreviate(method) + " " + path);
            }
        } catch (IllegalArgumentException badPath) {
            early = ProblemType.INVALID_REQUEST.exception(badPath.getMessage());
        }
        MDC.put("route", route);
        Deadline deadline = Deadline.since(arrival, maxDeadline, clock);
        if (early == null) {
            try {
                deadline = deadlineFrom(headers, arrival);
            } catch (ProblemException problem) {
                early = problem;
            }
        }
        RequestBodyReader.Body body = bodies.read(jetty);
        boolean closeAfter = false;
        if (body.problem() != null) {
            early = body.problem();
            closeAfter = true;
        }
        String rawQuery = jetty.getHttpURI().getQuery();
        String target =
                (rawPath == null || rawPath.isEmpty() ? "/" : rawPath) + (rawQuery == null ? "" : "?" + rawQuery);
        ServerRequest request = new ServerRequest(
                method,
                path,
                target,
                route,
                params,
                query,
                headers,
                body.bytes(),
                deadline,
                arrival,
                remote(jetty),
                mapper);
        request.attributes().put(Terminal.class.getName(), new Terminal(handler, early));
        return new Incoming(request, early != null, closeAfter, body.clientGone());
    }

    /** What the innermost end of the chain does: the route handler, or the problem found early. */
    private record Terminal(Handler handler, ProblemException early) {}

    private static Response invokeRoute(Request request) throws Exception {
        Terminal terminal = (Terminal) request.attributes().get(Terminal.class.getName());
        if (terminal.early() != null) {
            throw terminal.early();
        }
        if (request.deadline().isExpired()) {
            throw ProblemType.DEADLINE_EXCEEDED.exception(
                    "the caller's deadline passed before " + request.route() + " started; nothing was done");
        }
        return terminal.handler().handle(request);
    }

    private static Response answerProblems(Request request, Handler handler) {
        try {
            Response response = handler.handle(request);
            if (response == null) {
                log.error("handler for {} returned null", request.route());
                return Response.problem(Problem.of(ProblemType.INTERNAL, "the server failed to answer")
                        .withInstance(request.path()));
            }
            return response;
        } catch (ProblemException problem) {
            Response response = Response.problem(problem.problem().withInstance(request.path()));
            if (problem.problem().status() == 405
                    && problem.problem().extensions().get("allowed") instanceof List<?> allowed) {
                response = response.withHeader(
                        "Allow",
                        String.join(", ", allowed.stream().map(String::valueOf).toList()));
            }
            return problem.retryAfterSeconds() == null
                    ? response
                    : response.withHeader("Retry-After", problem.retryAfterSeconds());
        } catch (DropConnection drop) {
            throw drop;
        } catch (Exception | Error failure) {
            if (failure instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            if (failure instanceof VirtualMachineError vmError) {
                throw vmError;
            }
            log.error("{} failed", request.route(), failure);
            return Response.problem(
                    Problem.of(ProblemType.INTERNAL, "the server failed to answer; the failure is logged")
                            .withInstance(request.path()));
        }
    }

    private Deadline deadlineFrom(Map<String, List<String>> headers, long arrivalNanos) {
        List<String> values = headers.get(ValerixHeaders.BUDGET_MS);
        if (values == null || values.isEmpty()) {
            return Deadline.since(arrivalNanos, maxDeadline, clock);
        }
        String value = values.get(0).trim();
        if (!value.matches("[0-9]{1,12}")) {
            throw ProblemType.INVALID_REQUEST.exception(ValerixHeaders.BUDGET_MS
                    + " must be a whole number of milliseconds, but was '" + abbreviate(value) + "'");
        }
        Duration budget = Duration.ofMillis(Long.parseLong(value));
        // The budget runs from the request's first byte on the socket, not from when the body was
        // read or a thread was free.
        return Deadline.since(arrivalNanos, budget.compareTo(maxDeadline) < 0 ? budget : maxDeadline, clock);
    }

    private void write(
            org.eclipse.jetty.server.Request jetty,
            org.eclipse.jetty.server.Response out,
            Callback callback,
            Request request,
            Response response,
            boolean closeAfter) {
        byte[] bytes = null;
        if (response.entity() != null) {
            try {
                bytes = mapper.writeValueAsBytes(response.entity());
            } catch (IOException e) {
                log.error("serializing the reply to {} failed", request.route(), e);
                response = Response.problem(
                        Problem.of(ProblemType.INTERNAL, "the server failed to answer; the failure is logged")
                                .withInstance(request.path()));
                bytes = serialize(response.entity());
            }
        } else if (response.bytes() != null) {
            bytes = response.bytes();
        }
        out.setStatus(response.status());
        HttpFields.Mutable headers = out.getHeaders();
        response.headers().forEach((name, values) -> values.forEach(value -> headers.add(name, value)));
        if (closeAfter) {
            headers.put(HttpHeader.CONNECTION, "close");
        }
        boolean noBody = request.method().equals("HEAD") || response.status() == 204 || response.status() == 304;
        if (noBody) {
            out.write(true, BufferUtil.EMPTY_BUFFER, callback);
            return;
        }
        if (response.stream() == null && response.bodyWrapper() == null) {
            ByteBuffer body = bytes == null ? BufferUtil.EMPTY_BUFFER : ByteBuffer.wrap(bytes);
            headers.put(HttpHeader.CONTENT_LENGTH, body.remaining());
            out.write(true, body, callback);
            return;
        }
        // A streamed or wrapped body (server-sent events, the gremlin's trickle) is written blocking;
        // this is a virtual thread.
        if (response.stream() == null && bytes != null) {
            headers.put(HttpHeader.CONTENT_LENGTH, bytes.length);
        }
        OutputStream sink = Content.Sink.asOutputStream(out);
        if (response.bodyWrapper() != null) {
            sink = response.bodyWrapper().apply(sink);
        }
        try (OutputStream body = sink) {
            if (response.stream() != null) {
                response.stream().writeTo(body);
            } else if (bytes != null) {
                body.write(bytes);
            }
        } catch (IOException | RuntimeException e) {
            log.debug("writing the reply to {} failed", request.route(), e);
            callback.failed(e);
            return;
        }
        callback.succeeded();
    }

    private byte[] serialize(Object entity) {
        try {
            return mapper.writeValueAsBytes(entity);
        } catch (IOException e) {
            throw new IllegalStateException("a problem document could not be serialized", e);
        }
    }

    private static void drop(org.eclipse.jetty.server.Request jetty, Callback callback) {
        // Close first, so failing the callback cannot make Jetty write an error reply instead.
        jetty.getConnectionMetaData().getConnection().getEndPoint().close();
        callback.failed(new EofException("connection dropped on purpose"));
    }

    private static InetSocketAddress remote(org.eclipse.jetty.server.Request jetty) {
        SocketAddress address = jetty.getConnectionMetaData().getRemoteSocketAddress();
        return address instanceof InetSocketAddress inet ? inet : null;
    }

    private static Map<String, List<String>> copyHeaders(HttpFields fields) {
        Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        for (HttpField field : fields) {
            headers.computeIfAbsent(field.getName(), name -> new ArrayList<>(1)).add(field.getValue());
        }
        headers.replaceAll((name, values) -> List.copyOf(values));
        return Collections.unmodifiableMap(headers);
    }

    private static Map<String, String> parseQuery(String rawQuery) {
        if (rawQuery == null || rawQuery.isEmpty()) {
            return Map.of();
        }
        Map<String, String> query = new LinkedHashMap<>();
        for (String pair : rawQuery.split("&")) {
            int eq = pair.indexOf('=');
            String name = PathCodec.decode((eq < 0 ? pair : pair.substring(0, eq)).replace('+', ' '));
            String value = eq < 0 ? "" : PathCodec.decode(pair.substring(eq + 1).replace('+', ' '));
            query.putIfAbsent(name, value);
        }
        return Collections.unmodifiableMap(query);
    }

    private static String abbreviate(String value) {
        return value.length() <= 40 ? value : value.substring(0, 40) + "…";
    }
}
