package io.valerix.harness.dashboard;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.valerix.core.http.BearerTokenFilter;
import io.valerix.core.http.Handler;
import io.valerix.core.http.Json;
import io.valerix.core.http.JsonServer;
import io.valerix.core.http.ProblemType;
import io.valerix.core.http.Request;
import io.valerix.core.http.Response;
import io.valerix.harness.dashboard.internal.Assets;
import io.valerix.harness.dashboard.internal.EventStream;
import io.valerix.harness.dashboard.internal.GremlinProxy;
import io.valerix.harness.dashboard.internal.SampleReader;
import io.valerix.harness.dashboard.internal.Sampler;
import io.valerix.harness.services.ServicePair;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * The live dashboard, served by the order service at {@code /dashboard}: a light per service
 * (GREEN, RED or IDLE, from the same monitors and thresholds as {@code /health}), latency charts,
 * rates and error rates, PENDING orders, the inventory gremlin with controls, and a storefront
 * panel whose Buy button never places an order twice.
 *
 * <pre>{@code
 * Dashboard dashboard = Dashboard.builder().adminToken(settings.adminToken()).build();
 * ServicePair pair = ServicePair.start(settings, dashboard::install);
 * dashboard.watch(pair);
 * print(Dashboard.url(pair.orderUri(), settings.adminToken()));
 * ...
 * dashboard.close();   // first: ends open event streams, so the server stops without waiting
 * pair.close();
 * }</pre>
 *
 * <p>Routes it adds:
 *
 * <ul>
 *   <li>{@code GET /dashboard}: the page; {@code GET /dashboard/assets/{name}}: its scripts and
 *       styles, uPlot included, so it works with no network beyond the service;
 *   <li>{@code GET /dashboard/events}: server-sent events, a {@code history} event then one
 *       {@code sample} per interval (see {@code docs/dashboard.md} for the format);
 *   <li>{@code GET /dashboard/api/snapshot}: the latest sample as JSON;
 *   <li>{@code GET /dashboard/api/stock}: stock per SKU;
 *   <li>{@code GET|PUT /dashboard/api/gremlin}: inventory's {@code /admin/gremlin}, forwarded
 *       with the caller's {@code Authorization} header (inventory checks the admin token).
 * </ul>
 *
 * <p>The API ({@code /dashboard/api/*}) and the event stream ({@code /dashboard/events}) need the
 * admin token as {@code Authorization: Bearer <token>}: without it 401, with another 403. The page
 * and its assets hold no data and no secret, so they are served to anyone. The admin token is never
 * part of the page: the operator brings it in the URL printed at start, in the <em>fragment</em>
 * ({@code #token=…}, which browsers never send to a server, so it reaches no log; the page removes
 * it from the address bar and history at once), or pastes it into the page, which keeps it in
 * memory only and reads the event stream with {@code fetch()} so it can send the header.
 *
 * <p>Thread-safe. Who creates it closes it. Failures: {@link #watch} throws {@link
 * IllegalStateException} if called twice or after {@link #close()}; routes that need the
 * services answer 503 {@code dashboard-not-ready} until {@link #watch} was called.
 */
public final class Dashboard implements AutoCloseable {

    /** Where the page is served. */
    public static final String PATH = "/dashboard";
    /** How often a sample is taken and pushed unless set: every second. */
    public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(1);
    /** How much chart history a newly opened page gets unless set: 5 minutes. */
    public static final Duration DEFAULT_HISTORY = Duration.ofMinutes(5);
    /** How many pages may stream at once unless set. */
    public static final int DEFAULT_MAX_STREAMS = 32;

    /** A route that needs the services was asked before {@link #watch} was called. */
    public static final ProblemType NOT_READY = ProblemType.of("dashboard-not-ready", "Dashboard not ready", 503);

    private final Sampler sampler;
    private final Assets assets;
    private final BearerTokenFilter adminGuard;
    private final ObjectMapper mapper = Json.newMapper();
    private final Object lifecycle = new Object();
    private volatile ServicePair pair;
    private volatile GremlinProxy proxy;
    private boolean closed;

    private Dashboard(Builder builder) {
        this.sampler = new Sampler(builder.interval, builder.history, builder.maxStreams);
        this.assets = Assets.load();
        this.adminGuard = BearerTokenFilter.of("admin", builder.adminToken, request -> true);
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * The page's address on an order service at {@code orderUri}, with the admin token in the URL
     * fragment ({@code /dashboard#token=…}): the browser keeps it to itself, so it reaches no server
     * log, and the page takes it out of the address bar at once. Never in the query.
     */
    public static URI url(URI orderUri, String adminToken) {
        Objects.requireNonNull(orderUri, "orderUri");
        Objects.requireNonNull(adminToken, "adminToken");
        return URI.create(orderUri.toString().replaceAll("/+$", "") + PATH + "#token="
                + URLEncoder.encode(adminToken, StandardCharsets.UTF_8));
    }

    /** Adds the dashboard's routes to the order service being built; pass as {@code dashboard::install}. */
    public void install(JsonServer.Builder server) {
        Objects.requireNonNull(server, "server");
        server.route("GET", PATH, request -> page());
        server.route("GET", PATH + "/assets/{name}", request -> asset(request.pathParam("name")));
        server.route("GET", PATH + "/events", guarded(request -> events()));
        server.route("GET", PATH + "/api/snapshot", guarded(request -> snapshot()));
        server.route("GET", PATH + "/api/stock", guarded(request -> stock()));
        server.route("GET", PATH + "/api/gremlin", guarded(this::gremlin));
        server.route("PUT", PATH + "/api/gremlin", guarded(this::gremlin));
    }

    /** {@code handler} behind the admin token, whatever filters the server has. */
    private Handler guarded(Handler handler) {
        return request -> adminGuard.filter(request, handler);
    }

    /**
     * Starts sampling {@code pair} (once a {@link Builder#interval interval}, the first at once).
     *
     * @return this dashboard
     * @throws IllegalStateException if already watching, or closed
     */
    public Dashboard watch(ServicePair pair) {
        Objects.requireNonNull(pair, "pair");
        synchronized (lifecycle) {
            if (closed || this.pair != null) {
                throw new IllegalStateException(
                        closed ? "the dashboard is closed" : "the dashboard already watches a service pair");
            }
            SampleReader reader = new SampleReader(pair);
            this.proxy = new GremlinProxy(pair.inventoryUri());
            this.pair = pair;
            sampler.start(reader::read);
        }
        return this;
    }

    /** Stops sampling and ends every open event stream (browsers then reconnect on their own). Idempotent. */
    @Override
    public void close() {
        synchronized (lifecycle) {
            if (closed) {
                return;
            }
            closed = true;
        }
        sampler.close();
        GremlinProxy p = proxy;
        if (p != null) {
            p.close();
        }
    }

    private Response page() {
        Assets.Asset page = assets.page();
        return Response.bytes(200, page.contentType(), page.bytes())
                .withHeader("Cache-Control", "no-store")
                // Everything the page needs comes from here; nothing inline, no other origin.
                .withHeader(
                        "Content-Security-Policy",
                        "default-src 'self'; img-src 'self' data:; object-src 'none';"
                                + " base-uri 'none'; form-action 'none'; frame-ancestors 'none'")
                // Belt and braces: a fragment is never in a Referer, and no query token is either.
                .withHeader("Referrer-Policy", "no-referrer")
                .withHeader("X-Content-Type-Options", "nosniff");
    }

    private Response asset(String name) {
        Assets.Asset asset = assets.file(name)
                .orElseThrow(() -> ProblemType.NOT_FOUND.exception("no dashboard asset named '" + name + "'"));
        return Response.bytes(200, asset.contentType(), asset.bytes())
                .withHeader("Cache-Control", "no-cache")
                .withHeader("X-Content-Type-Options", "nosniff");
    }

    private Response events() {
        Sampler.Subscription subscription = sampler.subscribe();
        if (subscription == null) {
            throw ProblemType.OVERLOADED.exception(
                    "the dashboard is closed or already streams to its maximum of pages");
        }
        EventStream stream = new EventStream(subscription, mapper, sampler.interval(), sampler.historySize());
        return Response.stream(200, "text/event-stream; charset=utf-8", stream::writeTo)
                .withHeader("Cache-Control", "no-store")
                .withHeader("X-Accel-Buffering", "no");
    }

    private Response snapshot() {
        requirePair();
        var latest = sampler.latest();
        if (latest == null) {
            throw NOT_READY.exception("no sample was taken yet; try again in a second");
        }
        return Response.json(200, latest).withHeader("Cache-Control", "no-store");
    }

    private Response stock() {
        ServicePair p = requirePair();
        return Response.json(200, Map.of("items", p.inventory().service().stockLevels()))
                .withHeader("Cache-Control", "no-store");
    }

    private Response gremlin(Request request) throws InterruptedException {
        requirePair();
        return proxy.forward(request);
    }

    private ServicePair requirePair() {
        ServicePair p = pair;
        if (p == null) {
            throw NOT_READY.exception("the dashboard is starting; try again in a second");
        }
        return p;
    }

    /** Builds a {@link Dashboard}; validated in {@link #build()}. Not thread-safe. */
    public static final class Builder {
        private Duration interval = DEFAULT_INTERVAL;
        private Duration history = DEFAULT_HISTORY;
        private int maxStreams = DEFAULT_MAX_STREAMS;
        private String adminToken;

        private Builder() {}

        /** The admin token the API and event stream require; required. */
        public Builder adminToken(String adminToken) {
            this.adminToken = Objects.requireNonNull(adminToken, "adminToken");
            return this;
        }

        /** How often a sample is taken and pushed to every open page; 10 ms to 10 s. */
        public Builder interval(Duration interval) {
            this.interval = Objects.requireNonNull(interval, "interval");
            return this;
        }

        /** How much chart history a newly opened page gets; at least one interval, at most 1 hour. */
        public Builder history(Duration history) {
            this.history = Objects.requireNonNull(history, "history");
            return this;
        }

        /** How many pages may stream at once; more are refused with 503 {@code overloaded}. 1 to 1000. */
        public Builder maxStreams(int maxStreams) {
            this.maxStreams = maxStreams;
            return this;
        }

        /**
         * Validates and builds.
         *
         * @throws IllegalArgumentException naming the setting and its bad value
         * @throws IllegalStateException if no admin token is set, or the page's files are missing from
         *     the class path
         */
        public Dashboard build() {
            if (interval.compareTo(Duration.ofMillis(10)) < 0 || interval.compareTo(Duration.ofSeconds(10)) > 0) {
                throw new IllegalArgumentException("interval must be 10ms to 10s, but was " + interval);
            }
            if (history.compareTo(interval) < 0 || history.compareTo(Duration.ofHours(1)) > 0) {
                throw new IllegalArgumentException(
                        "history must be one interval (" + interval + ") to 1h, but was " + history);
            }
            if (maxStreams < 1 || maxStreams > 1000) {
                throw new IllegalArgumentException("maxStreams must be 1 to 1000, but was " + maxStreams);
            }
            if (adminToken == null) {
                throw new IllegalStateException(
                        "set adminToken(...): the dashboard's API and event stream are for operators only");
            }
            BearerTokenFilter.validToken("admin", adminToken);
            return new Dashboard(this);
        }
    }
}
