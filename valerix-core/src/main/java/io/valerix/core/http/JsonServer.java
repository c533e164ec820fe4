package io.valerix.core.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.valerix.core.http.internal.DispatchStamp;
import io.valerix.core.http.internal.ExchangeDispatcher;
import io.valerix.core.http.internal.HeaderTimeoutConnectionFactory;
import io.valerix.core.http.internal.ProblemErrorHandler;
import io.valerix.core.http.internal.RouteTable;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.http.UriCompliance;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.NetworkConnectionLimit;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.GracefulHandler;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An embedded JSON-over-HTTP server: Jetty 12 (its core handler API, no servlets), one virtual
 * thread per request, a route table and a filter chain.
 *
 * <p>Every error, Jetty's own included (a bad request line, a bad chunk, headers too large), is
 * answered as {@code application/problem+json} (see {@link ProblemType}). Each request gets a
 * {@linkplain Request#deadline() deadline} from the caller's {@value ValerixHeaders#BUDGET_MS}
 * header, capped by {@link Builder#maxDeadline(Duration)} and counted from the request's first byte
 * on the socket.
 *
 * <p>Slow and abusive clients are bounded by limits that are part of the configuration: a header
 * read timeout, an idle timeout, a minimum body data rate, a maximum number of connections and
 * maximum header and body sizes. A request counts against {@link Builder#maxInFlight(int)} only
 * once its body has arrived; past that bound it is answered 503 {@code overloaded} at once.
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
    /**
     * On close, a keep-alive connection with no request in flight is closed after this much quiet
     * rather than Jetty's default second: a stop (or a restart in a fleet) waits for requests, not
     * for idle clients. Requests in flight ignore idle timeouts (ExchangeDispatcher) and drain.
     */
    private static final Duration SHUTDOWN_IDLE_TIMEOUT = Duration.ofMillis(50);
    /** How long a request's headers may take from its first byte unless set: 5 s; then the connection closes. */
    public static final Duration DEFAULT_HEADER_READ_TIMEOUT = Duration.ofSeconds(5);
    /** How long a connection may stay silent (between requests, or mid-request) unless set: 30 s. */
    public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofSeconds(30);
    /** The slowest a body may arrive unless set: 4 KiB/s after a one-second grace; slower is 408. */
    public static final long DEFAULT_MIN_REQUEST_BYTES_PER_SECOND = 4 * 1024;
    /** How many connections may be open at once unless set; past it, new ones wait to be accepted. */
    public static final int DEFAULT_MAX_CONNECTIONS = 10_000;
    /** The limit on the request line plus headers unless set: 16 KiB; larger is 431 (414 for a long URI). */
    public static final int DEFAULT_MAX_HEADER_BYTES = 16 * 1024;

    // Platform threads only run Jetty's selector, acceptor and non-blocking parsing; every request
    // handler runs on a virtual thread of its own. A small pool is enough and bounds the footprint.
    private static final int PLATFORM_THREADS = 16;
    /**
     * Connections the kernel holds for the acceptor (Linux caps it at {@code net.core.somaxconn},
     * 4096 by default). A burst of new connections beyond the queue has its SYNs dropped, and the
     * client's retransmits arrive 1 s, then 3 s later: a connect storm of a few hundred clients
     * (a fleet restart, a load test's start) must not turn into seconds of latency.
     */
    private static final int ACCEPT_QUEUE = 4096;

    private final String name;
    private final InetAddress bindAddress;
    private final int requestedPort;
    private final Duration drainTimeout;
    private final Duration headerReadTimeout;
    private final Duration idleTimeout;
    private final int maxConnections;
    private final int maxHeaderBytes;
    private final ObjectMapper mapper;
    private final ExchangeDispatcher dispatcher;
    private final Object lifecycle = new Object();
    private Server server;
    private ServerConnector connector;
    private ExecutorService virtualThreads;
    private boolean closed;

    private JsonServer(Builder builder) {
        this.name = builder.name;
        this.bindAddress = builder.bindAddress;
        this.requestedPort = builder.port;
        this.drainTimeout = builder.drainTimeout;
        this.headerReadTimeout = builder.headerReadTimeout;
        this.idleTimeout = builder.idleTimeout;
        this.maxConnections = builder.maxConnections;
        this.maxHeaderBytes = builder.maxHeaderBytes;
        this.mapper = builder.mapper;
        this.dispatcher = new ExchangeDispatcher(
                RouteTable.of(builder.routes),
                List.copyOf(builder.filters),
                builder.mapper,
                builder.maxBodyBytes,
                builder.minRequestBytesPerSecond,
                builder.maxDeadline,
                builder.maxInFlight);
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
            // QueuedThreadPool with a virtual-thread executor rather than VirtualThreadPool: Jetty's
            // selector and acceptor block in select()/accept() for their whole life and would pin a
            // carrier thread each (two carriers on a 2-core machine), while blocking handlers (JDBC,
            // OkHttp, the gremlin's sleeps) get a virtual thread each, which is what they need.
            QueuedThreadPool threads = new QueuedThreadPool(PLATFORM_THREADS, 2);
            threads.setName(name + "-jetty");
            virtualThreads = Executors.newThreadPerTaskExecutor(
                    Thread.ofVirtual().name(name + "-request-", 0).factory());
            // Stamped: a request's deadline counts from when its bytes were seen, not from when its
            // virtual thread first got a carrier (DispatchStamp).
            threads.setVirtualThreadsExecutor(DispatchStamp.stamping(virtualThreads));
            Server jetty = new Server(threads);
            HttpConfiguration http = new HttpConfiguration();
            http.setRequestHeaderSize(maxHeaderBytes);
            http.setSendServerVersion(false);
            http.setSendXPoweredBy(false);
            // Routes split the raw path and decode each segment themselves, so an encoded '/', '%' or
            // control character inside an id is data, never a separator: safe to let through, and the
            // route then answers with its own precise problem (invalid-order-id, not invalid-request).
            http.setUriCompliance(UriCompliance.DEFAULT.with(
                    "valerix",
                    UriCompliance.Violation.AMBIGUOUS_PATH_SEPARATOR,
                    UriCompliance.Violation.AMBIGUOUS_PATH_ENCODING,
                    UriCompliance.Violation.SUSPICIOUS_PATH_CHARACTERS));
            ServerConnector listener =
                    new ServerConnector(jetty, new HeaderTimeoutConnectionFactory(http, headerReadTimeout));
            listener.setHost(bindAddress.getHostAddress());
            listener.setPort(requestedPort);
            listener.setIdleTimeout(idleTimeout.toMillis());
            listener.setShutdownIdleTimeout(SHUTDOWN_IDLE_TIMEOUT.toMillis());
            listener.setAcceptQueueSize(ACCEPT_QUEUE);
            jetty.addConnector(listener);
            jetty.addBean(new NetworkConnectionLimit(maxConnections, listener));
            jetty.setErrorHandler(new ProblemErrorHandler(mapper));
            jetty.setHandler(new GracefulHandler(dispatcher));
            jetty.setStopTimeout(drainTimeout.toMillis());
            jetty.setStopAtShutdown(false);
            try {
                jetty.start();
            } catch (Exception e) {
                stopQuietly(jetty);
                virtualThreads.shutdownNow();
                throw new UncheckedIOException(
                        "server '" + name + "' could not bind " + bindAddress.getHostAddress() + ":" + requestedPort,
                        e instanceof java.io.IOException io ? io : new java.io.IOException(e));
            }
            server = jetty;
            connector = listener;
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
            return connector.getLocalPort();
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
            stopQuietly(server);
            virtualThreads.shutdownNow();
            try {
                virtualThreads.awaitTermination(1, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            log.info("{} stopped", name);
        }
    }

    private void stopQuietly(Server jetty) {
        try {
            // Graceful: the connector stops accepting, GracefulHandler waits for in-flight requests up
            // to the stop timeout (the drain timeout), then connections close.
            jetty.stop();
        } catch (Exception e) {
            log.warn("{} did not stop cleanly", name, e);
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
        private Duration headerReadTimeout = DEFAULT_HEADER_READ_TIMEOUT;
        private Duration idleTimeout = DEFAULT_IDLE_TIMEOUT;
        private long minRequestBytesPerSecond = DEFAULT_MIN_REQUEST_BYTES_PER_SECOND;
        private int maxConnections = DEFAULT_MAX_CONNECTIONS;
        private int maxHeaderBytes = DEFAULT_MAX_HEADER_BYTES;
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

        /**
         * The largest request body accepted (64 KiB by default); larger ones get 413 {@code
         * payload-too-large} and the connection closes after the answer, since the rest of the body is
         * never read.
         */
        public Builder maxBodyBytes(long bytes) {
            this.maxBodyBytes = bytes;
            return this;
        }

        /**
         * How many requests may be in flight at once (1024 by default). A request counts only once its
         * body has arrived, so a slow body holds no permit. One more is answered at once with 503 {@code
         * overloaded} and {@code Retry-After: 1} without running any route; only the filters that
         * {@linkplain Filter#seesRefusedRequests() see refused requests} (latency recording) run around it.
         * {@linkplain OperatorPaths Operator routes} are never refused.
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

        /**
         * How long a request's line and headers may take from its first byte (5 s by default). Past it
         * the connection is closed without an answer: a client trickling headers (slowloris) holds a
         * connection no longer than this, however often it sends a byte.
         */
        public Builder headerReadTimeout(Duration timeout) {
            this.headerReadTimeout = Objects.requireNonNull(timeout, "headerReadTimeout");
            return this;
        }

        /**
         * How long a connection may stay silent (30 s by default): an idle keep-alive connection is
         * closed after it, and so is one that stops sending in the middle of a request.
         */
        public Builder idleTimeout(Duration timeout) {
            this.idleTimeout = Objects.requireNonNull(timeout, "idleTimeout");
            return this;
        }

        /**
         * The slowest a request body may arrive, in bytes per second (4096 by default), after a
         * one-second grace: a body that falls behind (sent slowly, or shorter than its Content-Length)
         * gets 408 {@code request-timeout} and the connection closes.
         */
        public Builder minRequestDataRate(long bytesPerSecond) {
            this.minRequestBytesPerSecond = bytesPerSecond;
            return this;
        }

        /**
         * How many connections may be open at once (10,000 by default). At the limit the server stops
         * accepting until one closes; connections wait in the operating system's backlog meanwhile.
         * Keep it below the process's file-descriptor limit.
         */
        public Builder maxConnections(int maxConnections) {
            this.maxConnections = maxConnections;
            return this;
        }

        /**
         * The largest request line plus headers accepted, in bytes (16 KiB by default); larger headers
         * get 431 {@code header-too-large}, a longer request line 414 {@code uri-too-long}.
         */
        public Builder maxHeaderBytes(int bytes) {
            this.maxHeaderBytes = bytes;
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
            requireAtLeastOneMilli("headerReadTimeout", headerReadTimeout);
            requireAtLeastOneMilli("idleTimeout", idleTimeout);
            if (minRequestBytesPerSecond < 1) {
                throw new IllegalArgumentException(
                        "minRequestDataRate must be at least 1 byte/s, but was " + minRequestBytesPerSecond);
            }
            if (maxConnections < 1) {
                throw new IllegalArgumentException("maxConnections must be at least 1, but was " + maxConnections);
            }
            if (maxHeaderBytes < 1024) {
                throw new IllegalArgumentException("maxHeaderBytes must be at least 1024, but was " + maxHeaderBytes);
            }
            if (drainTimeout.isNegative()) {
                throw new IllegalArgumentException("drainTimeout must not be negative, but was " + drainTimeout);
            }
            if (mapper == null) {
                mapper = Json.newMapper();
            }
            return new JsonServer(this);
        }

        private static void requireAtLeastOneMilli(String field, Duration value) {
            if (value.toMillis() < 1) {
                throw new IllegalArgumentException(field + " must be at least 1 ms, but was " + value);
            }
        }
    }
}
