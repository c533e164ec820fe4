package io.valerix.core.http.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
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
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Turns each JDK exchange into a {@link Request}, runs it through the filter chain to the route
 * handler, and writes the {@link Response}.
 *
 * <p>Routing, header and body checks happen before the filters but their failures are raised
 * only at the innermost end of the chain, so filters (latency recording, the gremlin) see bad
 * requests too, with the status the client will see.
 */
public final class ExchangeDispatcher implements HttpHandler {

  private static final Logger log = LoggerFactory.getLogger(ExchangeDispatcher.class);
  private static final String UNMATCHED = "UNMATCHED";
  private static final int MAX_HEADER_BYTES = 16 * 1024;

  /** Thrown out of the JDK handler so the JDK server closes the connection without a reply. */
  private static final class DropConnection extends RuntimeException {
    private static final long serialVersionUID = 1L;

    DropConnection() {
      super("connection dropped on purpose", null, false, false);
    }
  }

  private final RouteTable routes;
  private final Handler chain;
  private final ObjectMapper mapper;
  private final long maxBodyBytes;
  private final Duration maxDeadline;
  private final AtomicLong requestIds = new AtomicLong();
  private final Semaphore admitted;

  public ExchangeDispatcher(
      RouteTable routes, List<Filter> filters, ObjectMapper mapper, long maxBodyBytes, Duration maxDeadline, int maxInFlight) {
    this.routes = routes;
    this.admitted = new Semaphore(maxInFlight);
    this.mapper = mapper;
    this.maxBodyBytes = maxBodyBytes;
    this.maxDeadline = maxDeadline;
    Handler handler = request -> answerProblems(request, ExchangeDispatcher::invokeRoute);
    for (int i = filters.size() - 1; i >= 0; i--) {
      Filter filter = filters.get(i);
      Handler next = handler;
      handler = request -> answerProblems(request, r -> filter.filter(r, next));
    }
    this.chain = handler;
  }

  @Override
  public void handle(HttpExchange exchange) throws IOException {
    String requestId = Long.toString(requestIds.incrementAndGet());
    MDC.put("requestId", requestId);
    // Admission first: past the bound a request is refused at once, before it reads its body or
    // touches a database, so an overload sheds work instead of queueing it past every deadline.
    boolean operator = OperatorPaths.matches(exchange.getRequestURI().getPath() == null ? "/" : exchange.getRequestURI().getPath());
    boolean admittedHere = !operator && admitted.tryAcquire();
    try {
      Request request = toRequest(exchange);
      Response response = operator || admittedHere ? answerProblems(request, chain) : overloaded(request);
      if (response.dropsConnection()) {
        drainQuietly(exchange);
        throw new DropConnection();
      }
      write(exchange, request, response);
    } finally {
      if (admittedHere) {
        admitted.release();
      }
      MDC.remove("requestId");
      MDC.remove("route");
    }
  }

  private static Response overloaded(Request request) {
    return Response.problem(Problem.of(ProblemType.OVERLOADED, "the server is at its limit of requests in flight; retry shortly")
            .withInstance(request.path()))
        .withHeader("Retry-After", "1");
  }

  private Request toRequest(HttpExchange exchange) {
    long arrival = System.nanoTime();
    String method = exchange.getRequestMethod().toUpperCase(java.util.Locale.ROOT);
    String rawPath = exchange.getRequestURI().getRawPath();
    Map<String, List<String>> headers = copyHeaders(exchange);
    ProblemException early = null;
    String path = rawPath == null ? "/" : rawPath;
    String route = UNMATCHED;
    Map<String, String> params = Map.of();
    Map<String, String> query = Map.of();
    Handler handler = null;
    try {
      List<String> segments = RouteTable.split(path).stream().map(PathCodec::decode).toList();
      path = "/" + String.join("/", segments);
      query = parseQuery(exchange.getRequestURI().getRawQuery());
      RouteTable.Match match = routes.match(method, segments);
      if (match instanceof RouteTable.Found found) {
        route = method + " " + found.route().template();
        params = found.params();
        handler = found.route().handler();
      } else if (match instanceof RouteTable.MethodNotAllowed notAllowed) {
        early = new ProblemException(
            Problem.of(ProblemType.METHOD_NOT_ALLOWED, method + " is not allowed on " + path + "; allowed: " + String.join(", ", notAllowed.allowed()))
                .with("allowed", List.copyOf(notAllowed.allowed())));
      } else {
        early = ProblemType.NOT_FOUND.exception("no route for " + method + " " + path);
      }
    } catch (IllegalArgumentException badPath) {
      early = ProblemType.INVALID_REQUEST.exception(badPath.getMessage());
    }
    MDC.put("route", route);
    Deadline deadline = Deadline.after(maxDeadline);
    byte[] body = new byte[0];
    try {
      if (early == null) {
        checkHeaderSize(headers);
        deadline = deadlineFrom(headers, arrival);
      }
      body = readBody(exchange, headers);
    } catch (ProblemException problem) {
      early = early == null ? problem : early;
    }
    ServerRequest request = new ServerRequest(method, path, route, params, query, headers, body, deadline, exchange.getRemoteAddress(), mapper);
    request.attributes().put(Terminal.class.getName(), new Terminal(handler, early));
    return request;
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
        return Response.problem(Problem.of(ProblemType.INTERNAL, "the server failed to answer").withInstance(request.path()));
      }
      return response;
    } catch (ProblemException problem) {
      Response response = Response.problem(problem.problem().withInstance(request.path()));
      return problem.retryAfterSeconds() == null ? response : response.withHeader("Retry-After", problem.retryAfterSeconds());
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
      return Response.problem(Problem.of(ProblemType.INTERNAL, "the server failed to answer; the failure is logged").withInstance(request.path()));
    }
  }

  private Deadline deadlineFrom(Map<String, List<String>> headers, long arrivalNanos) {
    List<String> values = headers.get(ValerixHeaders.BUDGET_MS);
    if (values == null || values.isEmpty()) {
      return Deadline.after(maxDeadline);
    }
    String value = values.get(0).trim();
    if (!value.matches("[0-9]{1,12}")) {
      throw ProblemType.INVALID_REQUEST.exception(
          ValerixHeaders.BUDGET_MS + " must be a whole number of milliseconds, but was '" + abbreviate(value) + "'");
    }
    Duration budget = Duration.ofMillis(Long.parseLong(value));
    Duration capped = budget.compareTo(maxDeadline) < 0 ? budget : maxDeadline;
    // The budget runs from when the request arrived, not from when the body was read.
    Duration spent = Duration.ofNanos(System.nanoTime() - arrivalNanos);
    Duration left = capped.minus(spent);
    return Deadline.after(left.isNegative() ? Duration.ZERO : left);
  }

  private byte[] readBody(HttpExchange exchange, Map<String, List<String>> headers) {
    List<String> lengths = headers.get("Content-Length");
    if (lengths != null && !lengths.isEmpty()) {
      try {
        if (Long.parseLong(lengths.get(0).trim()) > maxBodyBytes) {
          throw tooLarge();
        }
      } catch (NumberFormatException e) {
        throw ProblemType.INVALID_REQUEST.exception("Content-Length is not a number");
      }
    }
    try (InputStream in = exchange.getRequestBody()) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      byte[] buffer = new byte[8192];
      long total = 0;
      int n;
      while ((n = in.read(buffer)) >= 0) {
        total += n;
        if (total > maxBodyBytes) {
          throw tooLarge();
        }
        out.write(buffer, 0, n);
      }
      return out.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException("reading the request body failed", e);
    }
  }

  private ProblemException tooLarge() {
    return ProblemType.PAYLOAD_TOO_LARGE.exception("the body is larger than the limit of " + maxBodyBytes + " bytes");
  }

  private static void checkHeaderSize(Map<String, List<String>> headers) {
    long size = 0;
    for (Map.Entry<String, List<String>> header : headers.entrySet()) {
      for (String value : header.getValue()) {
        size += header.getKey().length() + value.length() + 4;
      }
    }
    if (size > MAX_HEADER_BYTES) {
      throw ProblemType.HEADER_TOO_LARGE.exception("the request headers are larger than the limit of " + MAX_HEADER_BYTES + " bytes");
    }
  }

  private void write(HttpExchange exchange, Request request, Response response) throws IOException {
    byte[] bytes = null;
    if (response.entity() != null) {
      try {
        bytes = mapper.writeValueAsBytes(response.entity());
      } catch (IOException e) {
        log.error("serializing the reply to {} failed", request.route(), e);
        response = Response.problem(Problem.of(ProblemType.INTERNAL, "the server failed to answer; the failure is logged").withInstance(request.path()));
        bytes = mapper.writeValueAsBytes(response.entity());
      }
    } else if (response.bytes() != null) {
      bytes = response.bytes();
    }
    response.headers().forEach((name, values) -> exchange.getResponseHeaders().put(name, values));
    boolean noBody = request.method().equals("HEAD") || response.status() == 204 || response.status() == 304;
    long length;
    if (noBody) {
      length = -1;
    } else if (response.stream() != null) {
      length = 0; // chunked
    } else {
      length = bytes == null || bytes.length == 0 ? -1 : bytes.length;
    }
    exchange.sendResponseHeaders(response.status(), length);
    if (noBody || length == -1) {
      exchange.close();
      return;
    }
    OutputStream out = exchange.getResponseBody();
    if (response.bodyWrapper() != null) {
      out = response.bodyWrapper().apply(out);
    }
    try (OutputStream body = out) {
      if (response.stream() != null) {
        response.stream().writeTo(body);
      } else {
        body.write(bytes);
      }
    } finally {
      exchange.close();
    }
  }

  private static Map<String, List<String>> copyHeaders(HttpExchange exchange) {
    Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    exchange.getRequestHeaders().forEach((name, values) -> headers.put(name, List.copyOf(values)));
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

  private static void drainQuietly(HttpExchange exchange) {
    try {
      exchange.getRequestBody().close();
    } catch (IOException ignored) {
      // The connection is about to be dropped anyway.
    }
  }

  private static String abbreviate(String value) {
    return value.length() <= 40 ? value : value.substring(0, 40) + "…";
  }
}
