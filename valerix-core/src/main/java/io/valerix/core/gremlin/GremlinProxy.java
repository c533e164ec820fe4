package io.valerix.core.gremlin;

import io.valerix.core.gremlin.internal.UpstreamForwarder;
import io.valerix.core.http.BearerTokenFilter;
import io.valerix.core.http.JsonServer;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gremlin in front of anybody's HTTP server: a reverse proxy that takes each request, lets a
 * {@link Gremlin} decide on it (same specs, seeds and decision log as inside Valerix), and applies
 * the decision around the call to the upstream: a delay or fault {@code before} means the upstream
 * never sees the request; {@code after} means the upstream has done its work and the client then
 * waits, gets an error, loses the connection ({@code reset}, {@code noresponse}) or gets the body
 * slowly ({@code slowbody}). Rules match the request's method and path ({@code route="PUT
 * /reservations/*"}), so faults can aim at one route.
 *
 * <pre>{@code
 * try (GremlinProxy proxy = GremlinProxy.builder(URI.create("http://127.0.0.1:8080"))
 *     .gremlin(Gremlin.builder(42).spec(GremlinSpec.parse("uniform(0ms,2s) after p=0.5")).build())
 *     .build().start()) {
 *   callYourClientAgainst(proxy.uri());
 * }
 * }</pre>
 *
 * <p>With an {@linkplain Builder#adminToken admin token}, {@code GET|PUT /admin/gremlin} on the
 * proxy shows and replaces the spec ({@link GremlinAdmin}); that one path is the proxy's own and is
 * never forwarded. Every other path, the upstream's {@code /health} included, is forwarded and
 * fair game for the gremlin. The proxy answers its own failures as {@code application/problem+json}:
 * 502 {@code upstream-unreachable}, 504 {@code upstream-timeout}, 413 for a body over {@link
 * Builder#maxBodyBytes}. Bodies are buffered, not streamed, so it suits API traffic, not downloads.
 *
 * <p>Binds loopback unless told otherwise. Thread-safe; who starts it closes it.
 */
public final class GremlinProxy implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(GremlinProxy.class);

    /** The largest request body forwarded unless set: 10 MiB. */
    public static final long DEFAULT_MAX_BODY_BYTES = 10L * 1024 * 1024;
    /** How long the upstream may take to answer unless set (or the caller's budget header says less). */
    public static final Duration DEFAULT_UPSTREAM_TIMEOUT = Duration.ofSeconds(60);
    /** The proxy's own path; never forwarded. */
    public static final String ADMIN_PATH = "/admin/gremlin";

    private final URI upstream;
    private final Gremlin gremlin;
    private final JsonServer server;
    private final HttpClient client;

    private GremlinProxy(Builder b) {
        this.upstream = b.upstream;
        this.gremlin = b.gremlin;
        this.client = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(b.connectTimeout)
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
        boolean admin = b.adminToken != null;
        JsonServer.Builder server = JsonServer.builder()
                .name(b.name)
                .bindAddress(b.bindAddress)
                .port(b.port)
                .maxBodyBytes(b.maxBodyBytes)
                .maxDeadline(b.upstreamTimeout)
                .drainTimeout(Duration.ofSeconds(1))
                // Only the proxy's own admin path is spared: it plays the network in front of every other one.
                .filter(GremlinFilter.exempting(gremlin, path -> admin && path.equals(ADMIN_PATH)))
                .filter(new UpstreamForwarder(upstream, client, path -> admin && path.equals(ADMIN_PATH)));
        if (admin) {
            GremlinAdmin.install(server, gremlin, b.adminToken);
        }
        this.server = server.build();
    }

    /** A builder for a proxy in front of {@code upstream}, for example {@code http://127.0.0.1:8080}. */
    public static Builder builder(URI upstream) {
        return new Builder(upstream);
    }

    /**
     * Binds and starts forwarding.
     *
     * @throws java.io.UncheckedIOException if the address cannot be bound
     * @throws IllegalStateException if already started or closed
     */
    public GremlinProxy start() {
        server.start();
        log.info("gremlin proxy {} -> {} with {}", server.uri(), upstream, gremlin);
        return this;
    }

    /** Where clients send their requests instead of the upstream. */
    public URI uri() {
        return server.uri();
    }

    /** The bound port. */
    public int port() {
        return server.port();
    }

    /** The upstream requests go to. */
    public URI upstream() {
        return upstream;
    }

    /** The gremlin deciding on each request: its spec can be replaced, its recent decisions read. */
    public Gremlin gremlin() {
        return gremlin;
    }

    /** Stops accepting, lets in-flight requests finish (up to a second), then stops. Idempotent. */
    @Override
    public void close() {
        server.close();
        client.close();
    }

    /** Builds a {@link GremlinProxy}; not thread-safe; validated in {@link #build()}. */
    public static final class Builder {
        private final URI upstream;
        private Gremlin gremlin;
        private String adminToken;
        private String name = "gremlin-proxy";
        private int port = 0;
        private InetAddress bindAddress = InetAddress.getLoopbackAddress();
        private long maxBodyBytes = DEFAULT_MAX_BODY_BYTES;
        private Duration upstreamTimeout = DEFAULT_UPSTREAM_TIMEOUT;
        private Duration connectTimeout = Duration.ofSeconds(5);

        private Builder(URI upstream) {
            this.upstream = Objects.requireNonNull(upstream, "upstream");
        }

        /** The gremlin that decides; one with seed 0 and no spec (a plain proxy) unless set. */
        public Builder gremlin(Gremlin gremlin) {
            this.gremlin = Objects.requireNonNull(gremlin, "gremlin");
            return this;
        }

        /** Enables {@code GET|PUT /admin/gremlin} on the proxy, behind this bearer token; off unless set. */
        public Builder adminToken(String token) {
            this.adminToken = BearerTokenFilter.validToken("admin", token);
            return this;
        }

        /** The name in thread names and logs. */
        public Builder name(String name) {
            this.name = Objects.requireNonNull(name, "name");
            return this;
        }

        /** The port to listen on; 0 (the default) picks a free one, readable from {@link GremlinProxy#port()}. */
        public Builder port(int port) {
            this.port = port;
            return this;
        }

        /** The address to bind; loopback unless set. */
        public Builder bindAddress(InetAddress address) {
            this.bindAddress = Objects.requireNonNull(address, "address");
            return this;
        }

        /** The largest request body forwarded; larger is 413. {@value #DEFAULT_MAX_BODY_BYTES} bytes unless set. */
        public Builder maxBodyBytes(long bytes) {
            this.maxBodyBytes = bytes;
            return this;
        }

        /**
         * How long the upstream may take to answer (less if the caller's {@value
         * io.valerix.core.http.ValerixHeaders#BUDGET_MS} header says so); then 504. 60 s unless set.
         */
        public Builder upstreamTimeout(Duration timeout) {
            this.upstreamTimeout = Objects.requireNonNull(timeout, "timeout");
            return this;
        }

        /** How long connecting to the upstream may take; then 502. 5 s unless set. */
        public Builder connectTimeout(Duration timeout) {
            this.connectTimeout = Objects.requireNonNull(timeout, "timeout");
            return this;
        }

        /**
         * The proxy, not yet started.
         *
         * @throws IllegalArgumentException if the upstream is not an absolute http URI without query,
         *     or a setting is out of range
         */
        public GremlinProxy build() {
            if (!"http".equalsIgnoreCase(upstream.getScheme()) && !"https".equalsIgnoreCase(upstream.getScheme())
                    || upstream.getHost() == null
                    || upstream.getRawQuery() != null
                    || upstream.getRawFragment() != null) {
                throw new IllegalArgumentException(
                        "upstream must be an http(s) URI such as http://127.0.0.1:8080, but was " + upstream);
            }
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("port must be 0..65535, but was " + port);
            }
            if (maxBodyBytes < 1) {
                throw new IllegalArgumentException("maxBodyBytes must be positive, but was " + maxBodyBytes);
            }
            if (upstreamTimeout.toMillis() < 1) {
                throw new IllegalArgumentException("upstreamTimeout must be at least 1 ms, but was " + upstreamTimeout);
            }
            if (connectTimeout.toMillis() < 1) {
                throw new IllegalArgumentException("connectTimeout must be at least 1 ms, but was " + connectTimeout);
            }
            if (gremlin == null) {
                gremlin = Gremlin.builder(0).build();
            }
            return new GremlinProxy(this);
        }
    }
}
