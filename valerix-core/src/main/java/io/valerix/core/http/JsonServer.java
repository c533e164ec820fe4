package io.valerix.core.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.valerix.core.http.internal.ExchangeDispatcher;
import io.valerix.core.http.internal.RouteTable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An embedded JSON-over-HTTP server: the JDK's built-in HTTP server, one virtual thread per
 * request, a route table and a filter chain.
 *
 * <p>Every error is answered as {@code application/problem+json} (see {@link ProblemType}).
 * Each request gets a {@linkplain Request#deadline() deadline} from the caller's {@value
 * ValerixHeaders#BUDGET_MS} header, capped by {@link Builder#maxDeadline(Duration)}.
 *
 * <p>Lifecycle: {@link #start()} binds, {@link #close()} stops accepting, lets in-flight requests
 * finish within the drain timeout, then stops. Thread-safe; who starts a server closes it.
 */
public final class JsonServer implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(JsonServer.class);

  /** The body size limit unless set: 64 KiB. */
  public static final long DEFAULT_MAX_BODY_BYTES = 64 * 1024;
  /** The longest any request may run unless set, and the deadline of requests without a budget. */
  public static final Duration DEFAULT_MAX_DEADLINE = Duration.ofSeconds(30);
  /** How many requests may be in flight at once unless set; past it, 503 {@code overloaded}. */
  public static final int DEFAULT_MAX_IN_FLIGHT = 1024;
  /** How long {@link #close()} waits for in-flight requests unless set. */
  public static final Duration DEFAULT_DRAIN_TIMEOUT = Duration.ofSeconds(5);

  private final String name;
  private final InetAddress bindAddress;
  private final int requestedPort;
  private final Duration drainTimeout;
  private final ExchangeDispatcher dispatcher;
  private final Object lifecycle = new Object();
  private HttpServer server;
  private ExecutorService executor;
  private boolean closed;

  private JsonServer(Builder builder) {
    this.name = builder.name;
    this.bindAddress = builder.bindAddress;
    this.requestedPort = builder.port;
    this.drainTimeout = builder.drainTimeout;
    this.dispatcher =
        new ExchangeDispatcher(
            RouteTable.of(builder.routes), List.copyOf(builder.filters), builder.mapper, builder.maxBodyBytes, builder.maxDeadline, builder.maxInFlight);
  }

  public static Builder builder() {
    return new Builder();
  }

  /**
   * Binds and starts serving.
   *
   * @throws UncheckedIOException if the address cannot be bound
   * @throws IllegalStateException if already started or closed
   */
  public JsonServer start() {
    synchronized (lifecycle) {
      if (server != null || closed) {
        throw new IllegalStateException("server '" + name + "' was already started");
      }
      try {
        HttpServer http = HttpServer.create(new InetSocketAddress(bindAddress, requestedPort), 256);
        http.createContext("/", dispatcher);
        executor = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name(name + "-request-", 0).factory());
        http.setExecutor(executor);
        http.start();
        server = http;
      } catch (IOException e) {
        throw new UncheckedIOException("server '" + name + "' could not bind " + bindAddress.getHostAddress() + ":" + requestedPort, e);
      }
      log.info("{} listening on {}", name, uri());
      return this;
    }
  }

  /** The bound port; with port 0 configured, the ephemeral one the system chose. */
  public int port() {
    synchronized (lifecycle) {
      if (server == null) {
        throw new IllegalStateException("server '" + name + "' is not started");
      }
      return server.getAddress().getPort();
    }
  }

  /** The base URI, for example {@code http://127.0.0.1:8081}. */
  public URI uri() {
    String host = bindAddress.getHostAddress();
    if (host.contains(":")) {
      host = "[" + host + "]";
    }
    return URI.create("http://" + host + ":" + port());
  }

  /** The name used in thread names and logs. */
  public String name() {
    return name;
  }

  /**
   * Stops accepting connections, waits up to the drain timeout for in-flight requests, then
   * stops. Idempotent.
   */
  @Override
  public void close() {
    synchronized (lifecycle) {
      if (closed) {
        return;
      }
      closed = true;
      if (server == null) {
        return;
      }
      // The JDK counts the drain in whole seconds; round up so a short drain is not zero.
      int seconds = (int) Math.max(0, (drainTimeout.toMillis() + 999) / 1000);
      server.stop(seconds);
      executor.shutdownNow();
      try {
        executor.awaitTermination(1, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      log.info("{} stopped", name);
    }
  }

  /** Builds a {@link JsonServer}; validated in {@link #build()}. */
  public static final class Builder {
    private String name = "valerix-http";
    private InetAddress bindAddress = InetAddress.getLoopbackAddress();
    private int port = 0;
    private long maxBodyBytes = DEFAULT_MAX_BODY_BYTES;
    private Duration maxDeadline = DEFAULT_MAX_DEADLINE;
    private Duration drainTimeout = DEFAULT_DRAIN_TIMEOUT;
    private int maxInFlight = DEFAULT_MAX_IN_FLIGHT;
    private ObjectMapper mapper;
    private final List<RouteTable.Route> routes = new ArrayList<>();
    private final List<Filter> filters = new ArrayList<>();

    private Builder() {}

    /** The name used in thread names and logs. */
    public Builder name(String name) {
      this.name = Objects.requireNonNull(name, "name");
      return this;
    }

    /** The address to bind; loopback unless set, so nothing is exposed by accident. */
    public Builder bindAddress(InetAddress address) {
      this.bindAddress = Objects.requireNonNull(address, "address");
      return this;
    }

    /** The port; 0 (the default) picks a free ephemeral port, readable from {@link #port()}. */
    public Builder port(int port) {
      this.port = port;
      return this;
    }

    /** The largest request body accepted; larger ones get 413 {@code payload-too-large}. */
    public Builder maxBodyBytes(long bytes) {
      this.maxBodyBytes = bytes;
      return this;
    }

    /**
     * How many requests may be in flight at once (1024 by default). One more is answered at once
     * with 503 {@code overloaded} and {@code Retry-After: 1}, without reading its body or running
     * anything. {@linkplain OperatorPaths Operator routes} are never refused.
     */
    public Builder maxInFlight(int maxInFlight) {
      this.maxInFlight = maxInFlight;
      return this;
    }

    /** The cap on every request's deadline, and the deadline of requests that carry no budget. */
    public Builder maxDeadline(Duration maxDeadline) {
      this.maxDeadline = Objects.requireNonNull(maxDeadline, "maxDeadline");
      return this;
    }

    /** How long {@link JsonServer#close()} lets in-flight requests finish; 0 stops at once. */
    public Builder drainTimeout(Duration drainTimeout) {
      this.drainTimeout = Objects.requireNonNull(drainTimeout, "drainTimeout");
      return this;
    }

    /** The JSON mapper; {@link Json#newMapper()} unless set. */
    public Builder objectMapper(ObjectMapper mapper) {
      this.mapper = Objects.requireNonNull(mapper, "mapper");
      return this;
    }

    /**
     * Adds a route: {@code method} in upper case, a template such as {@code
     * /reservations/{orderId}}.
     *
     * @throws IllegalArgumentException for a malformed method or template
     */
    public Builder route(String method, String template, Handler handler) {
      routes.add(RouteTable.route(method, template, handler));
      return this;
    }

    /** Adds a filter; the first added runs outermost. */
    public Builder filter(Filter filter) {
      filters.add(Objects.requireNonNull(filter, "filter"));
      return this;
    }

    /**
     * A server with these settings, not yet started.
     *
     * @throws IllegalArgumentException for an out-of-range setting or a duplicate route
     */
    public JsonServer build() {
      if (port < 0 || port > 65535) {
        throw new IllegalArgumentException("port must be 0..65535, but was " + port);
      }
      if (maxInFlight < 1) {
        throw new IllegalArgumentException("maxInFlight must be at least 1, but was " + maxInFlight);
      }
      if (maxBodyBytes <= 0) {
        throw new IllegalArgumentException("maxBodyBytes must be positive, but was " + maxBodyBytes);
      }
      if (maxDeadline.toMillis() < 1) {
        throw new IllegalArgumentException("maxDeadline must be at least 1 ms, but was " + maxDeadline);
      }
      if (drainTimeout.isNegative()) {
        throw new IllegalArgumentException("drainTimeout must not be negative, but was " + drainTimeout);
      }
      if (mapper == null) {
        mapper = Json.newMapper();
      }
      return new JsonServer(this);
    }
  }
}
