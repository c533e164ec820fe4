package io.valerix.core.idempotency;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.valerix.core.http.Json;
import io.valerix.core.http.Request;
import io.valerix.core.time.NanoClock;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The settings of an {@link IdempotencyFilter}: where it applies, how long claims and answers
 * live, where keys come from and how much is stored.
 *
 * <p>Immutable and thread-safe; built by {@link #builder()}, validated in {@link Builder#build()}.
 */
public final class IdempotencyConfig {

    /** How long a claim is held before another request may take it over, unless set: 60 s. */
    public static final Duration DEFAULT_LEASE = Duration.ofSeconds(60);
    /** How long a finished record is kept after its answer, unless set: 24 h. */
    public static final Duration DEFAULT_RETENTION = Duration.ofHours(24);
    /** The longest key accepted, and the most the JDBC store's column holds: 255 characters. */
    public static final int MAX_KEY_LENGTH = 255;
    /** The largest answer body stored for replay unless set: 64 KiB. */
    public static final int DEFAULT_MAX_STORED_BODY_BYTES = 64 * 1024;
    /** The most {@link Builder#maxStoredBodyBytes(int)} may be: 16 MiB. */
    public static final int MAX_STORED_BODY_BYTES = 16 * 1024 * 1024;
    /** How often a started filter refreshes its holder's heartbeat, unless set: 1 s. */
    public static final Duration DEFAULT_HEARTBEAT_PERIOD = Duration.ofSeconds(1);
    /**
     * How many heartbeat periods a holder may miss before its claims can be taken over: 5, so a
     * stall of a few periods (a GC pause, a busy pool) is not taken for a death.
     */
    public static final int MISSED_HEARTBEATS = 5;

    private static final Pattern ROUTE = Pattern.compile("[A-Z]+ /\\S*");
    /** Printable ASCII without spaces: safe in logs and in the store's column. */
    private static final Pattern INSTANCE_ID = Pattern.compile("[\\x21-\\x7E]{1," + MAX_KEY_LENGTH + "}");

    private static final Pattern HEADER_NAME = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+");

    private final Duration lease;
    private final Duration retention;
    private final Duration inProgressWait;
    private final Set<String> routes;
    private final KeyExtractor fallbackKey;
    private final int maxKeyLength;
    private final int maxStoredBodyBytes;
    private final List<String> storedHeaders;
    private final InstantSource clock;
    private final NanoClock nanoClock;
    private final ObjectMapper objectMapper;
    private final boolean claimWithFirstWrite;
    private final String instanceId;
    private final Duration heartbeatPeriod;

    private IdempotencyConfig(Builder builder) {
        this.instanceId = builder.instanceId != null ? builder.instanceId : defaultInstanceId();
        this.heartbeatPeriod = builder.heartbeatPeriod;
        this.claimWithFirstWrite = builder.claimWithFirstWrite;
        this.lease = builder.lease;
        this.retention = builder.retention;
        this.inProgressWait = builder.inProgressWait;
        this.routes = builder.routes == null ? null : Set.copyOf(builder.routes);
        this.fallbackKey = builder.fallbackKey;
        this.maxKeyLength = builder.maxKeyLength;
        this.maxStoredBodyBytes = builder.maxStoredBodyBytes;
        this.storedHeaders = List.copyOf(builder.storedHeaders);
        this.clock = builder.clock;
        this.nanoClock = builder.nanoClock;
        this.objectMapper = builder.objectMapper == null ? Json.newMapper() : builder.objectMapper;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** All defaults: every POST and PATCH route, the header key only, answer 409 while in progress. */
    public static IdempotencyConfig defaults() {
        return builder().build();
    }

    /** How long a claim is held before another request may take it over. */
    public Duration lease() {
        return lease;
    }

    /** How long a finished record is kept after its answer. */
    public Duration retention() {
        return retention;
    }

    /** How long a request waits for another one with its key to finish; zero answers 409 at once. */
    public Duration inProgressWait() {
        return inProgressWait;
    }

    /** The routes the filter guards as {@code METHOD /template}; empty means every POST and PATCH route. */
    public Set<String> routes() {
        return routes == null ? Set.of() : routes;
    }

    /** True if the filter guards {@code route} ({@code METHOD /template}, as {@code Request.route()} gives it). */
    public boolean appliesTo(String route) {
        if (routes != null) {
            return routes.contains(route);
        }
        return route.startsWith("POST ") || route.startsWith("PATCH ");
    }

    /** Where the key comes from when the header is absent, if anywhere. */
    public Optional<KeyExtractor> fallbackKey() {
        return Optional.ofNullable(fallbackKey);
    }

    /** The longest key accepted, in characters. */
    public int maxKeyLength() {
        return maxKeyLength;
    }

    /** The largest answer body stored for replay, in bytes. */
    public int maxStoredBodyBytes() {
        return maxStoredBodyBytes;
    }

    /** The answer headers stored and replayed besides {@code Content-Type}, which always is. */
    public List<String> storedHeaders() {
        return storedHeaders;
    }

    /** The wall clock for leases, completion and expiry times. */
    public InstantSource clock() {
        return clock;
    }

    /** The monotonic clock for measuring how long a request has waited. */
    public NanoClock nanoClock() {
        return nanoClock;
    }

    /** Whether handlers claim the key in their first write's transaction; see {@link Builder#claimWithFirstWrite}. */
    public boolean claimWithFirstWrite() {
        return claimWithFirstWrite;
    }

    /** The id of this service instance, stable across its restarts; see {@link Builder#instanceId}. */
    public String instanceId() {
        return instanceId;
    }

    /** How often a started filter refreshes its heartbeat. */
    public Duration heartbeatPeriod() {
        return heartbeatPeriod;
    }

    /**
     * How old a holder's last heartbeat may be before its claims can be taken over: {@value
     * #MISSED_HEARTBEATS} heartbeat periods.
     */
    public Duration heartbeatTimeout() {
        return heartbeatPeriod.multipliedBy(MISSED_HEARTBEATS);
    }

    /**
     * The instance id used when none is set: the host name (from {@code HOSTNAME}, else {@code
     * localhost}) and the process id. It identifies the process, not the instance across restarts,
     * so a restart frees the old claims only through heartbeats; set {@link Builder#instanceId} to
     * something stable (a host and port) to have a restart free them at once.
     */
    public static String defaultInstanceId() {
        String host = System.getenv("HOSTNAME");
        if (host == null || !INSTANCE_ID.matcher(host).matches() || host.length() > 200) {
            host = "localhost";
        }
        return host + "/pid-" + ProcessHandle.current().pid();
    }

    /** The mapper that turns JSON entities into the bytes stored for replay. */
    public ObjectMapper objectMapper() {
        return objectMapper;
    }

    @Override
    public String toString() {
        return "IdempotencyConfig[lease=" + lease + ", retention=" + retention + ", inProgressWait=" + inProgressWait
                + ", routes=" + (routes == null ? "POST and PATCH" : routes) + ", fallbackKey=" + (fallbackKey != null)
                + ", maxKeyLength=" + maxKeyLength + ", maxStoredBodyBytes=" + maxStoredBodyBytes + ", storedHeaders="
                + storedHeaders
                + ", instanceId=" + instanceId + ", heartbeatPeriod=" + heartbeatPeriod + "]";
    }

    /**
     * Builds an {@link IdempotencyConfig}. Setters reject null at once (NPE naming the field);
     * {@link #build()} rejects out-of-range values (IAE naming the field and the value). Not
     * thread-safe; build once, share the result.
     */
    public static final class Builder {
        private Duration lease = DEFAULT_LEASE;
        private Duration retention = DEFAULT_RETENTION;
        private Duration inProgressWait = Duration.ZERO;
        private List<String> routes;
        private KeyExtractor fallbackKey;
        private int maxKeyLength = MAX_KEY_LENGTH;
        private int maxStoredBodyBytes = DEFAULT_MAX_STORED_BODY_BYTES;
        private List<String> storedHeaders = List.of("Location");
        private InstantSource clock = InstantSource.system();
        private NanoClock nanoClock = NanoClock.system();
        private ObjectMapper objectMapper;
        private boolean claimWithFirstWrite;
        private String instanceId;
        private Duration heartbeatPeriod = DEFAULT_HEARTBEAT_PERIOD;

        private Builder() {}

        /**
         * The id of this service instance, written into every claim it takes together with the boot
         * epoch of its current start (see {@link IdempotencyFilter#start()}). It must be unique among
         * the instances sharing a store and the same across restarts of one instance: a host and
         * port, or a name the deployment gives each instance. A start then frees at once the claims
         * its own earlier, crashed incarnation left behind. 1 to 255 printable ASCII characters
         * without spaces; {@link IdempotencyConfig#defaultInstanceId()} unless set.
         */
        public Builder instanceId(String instanceId) {
            this.instanceId = Objects.requireNonNull(instanceId, "instanceId");
            return this;
        }

        /**
         * How often a started filter refreshes its heartbeat in the store (default 1 s, at least 10
         * ms). Other instances take over the claims of a holder that missed {@value
         * IdempotencyConfig#MISSED_HEARTBEATS} periods, long before their lease ends; a fencing token
         * still keeps a holder that was only stalled from recording anything afterwards. Each beat is
         * one small update per instance.
         */
        public Builder heartbeatPeriod(Duration period) {
            this.heartbeatPeriod = Objects.requireNonNull(period, "heartbeatPeriod");
            return this;
        }

        /**
         * Whether the key is claimed in the same database transaction as the handler's first write,
         * and the answer stored with its last, instead of in transactions of their own before and
         * after the handler (default false). It saves two commits per request; the handler must then
         * take part: before any write it calls {@link KeyClaim#claim} on {@link
         * IdempotencyFilter#claimOf(Request) the request's claim}, and it may finish with {@link
         * KeyClaim#complete}. A handler that writes nothing needs to do nothing. Needs a {@link
         * IdempotencyStore#of(io.valerix.core.jdbc.DeadlineBoundDataSource,
         * io.valerix.core.journal.ChangeJournal) JDBC store} on the handler's database.
         *
         * <p>On a request's first try the handler runs before the key is read: a retry runs it up to
         * its claim, which fails, and is then answered from the key's record. Until the handler
         * claims, a second request with the key may run beside it; the claim decides which one
         * writes, the loser's transaction is rolled back whole and it is answered as a retry (409,
         * 422 or the replay).
         */
        public Builder claimWithFirstWrite(boolean claimWithFirstWrite) {
            this.claimWithFirstWrite = claimWithFirstWrite;
            return this;
        }

        /**
         * How long a claim is held (default 60 s). A request still running
         * when its lease expires can be taken over by a retry, which runs the handler again, so the
         * lease must exceed the longest a handler runs: the server's maximum deadline (30 s by
         * default) plus clock differences between instances.
         */
        public Builder lease(Duration lease) {
            this.lease = Objects.requireNonNull(lease, "lease");
            return this;
        }

        /** How long a finished record is kept after its answer (default 24 h); purged after that. */
        public Builder retention(Duration retention) {
            this.retention = Objects.requireNonNull(retention, "retention");
            return this;
        }

        /**
         * How long a request whose key is held by a running request waits for that one's answer,
         * polling the store, before answering 409 (default zero: answer 409 at once, as the IETF
         * draft and Stripe do). The wait never outlasts the request's own deadline.
         */
        public Builder inProgressWait(Duration wait) {
            this.inProgressWait = Objects.requireNonNull(wait, "inProgressWait");
            return this;
        }

        /**
         * The routes to guard, as {@code Request.route()} names them: {@code "POST /orders"}. Unless
         * set, every POST and PATCH route is guarded (the methods the IETF draft covers).
         */
        public Builder routes(String... routes) {
            Objects.requireNonNull(routes, "routes");
            List<String> list = new ArrayList<>();
            for (String route : routes) {
                list.add(Objects.requireNonNull(route, "routes element"));
            }
            this.routes = list;
            return this;
        }

        /**
         * Where the key comes from when the request has no {@code Idempotency-Key} header, for
         * example {@code KeyExtractor.bodyField("orderId")}. Unless set, such requests get 400 {@code
         * idempotency-key-missing}.
         */
        public Builder fallbackKey(KeyExtractor extractor) {
            this.fallbackKey = Objects.requireNonNull(extractor, "fallbackKey");
            return this;
        }

        /** The longest key accepted, 1..255 characters (default 255); longer ones get 400. */
        public Builder maxKeyLength(int maxKeyLength) {
            this.maxKeyLength = maxKeyLength;
            return this;
        }

        /**
         * The largest answer body stored for replay, 1 byte..16 MiB (default 64 KiB). A final answer
         * with a larger body, or a streamed one, is not stored: it is handled as {@link
         * ReplayMode#RERUN} (retries run the handler again) and a warning is logged.
         */
        public Builder maxStoredBodyBytes(int bytes) {
            this.maxStoredBodyBytes = bytes;
            return this;
        }

        /**
         * The answer headers stored and replayed besides {@code Content-Type}, which always is
         * (default {@code Location}). Replaces the list.
         */
        public Builder storedHeaders(String... names) {
            Objects.requireNonNull(names, "storedHeaders");
            List<String> list = new ArrayList<>();
            for (String name : names) {
                list.add(Objects.requireNonNull(name, "storedHeaders element"));
            }
            this.storedHeaders = list;
            return this;
        }

        /** The wall clock for leases and expiry (default the system clock); tests drive a fake one. */
        public Builder clock(InstantSource clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** The monotonic clock for waiting (default the system's). */
        public Builder nanoClock(NanoClock nanoClock) {
            this.nanoClock = Objects.requireNonNull(nanoClock, "nanoClock");
            return this;
        }

        /**
         * The mapper that writes JSON entities into stored bytes; use the server's so the first answer
         * and its replays are the same bytes. {@code Json.newMapper()} unless set.
         */
        public Builder objectMapper(ObjectMapper mapper) {
            this.objectMapper = Objects.requireNonNull(mapper, "objectMapper");
            return this;
        }

        /**
         * A config with these settings.
         *
         * @throws IllegalArgumentException if a duration is negative or shorter than a millisecond
         *     (except a zero {@code inProgressWait}), a size is out of range, a route is not {@code
         *     METHOD /template}, a header name is not a token, the instance id is not 1..255 printable
         *     characters without spaces, or the heartbeat period is under 10 ms
         */
        public IdempotencyConfig build() {
            if (instanceId != null && !INSTANCE_ID.matcher(instanceId).matches()) {
                throw new IllegalArgumentException("instanceId must be 1.." + MAX_KEY_LENGTH
                        + " printable ASCII characters without spaces, but was '" + instanceId + "'");
            }
            if (heartbeatPeriod.toMillis() < 10) {
                throw new IllegalArgumentException(
                        "heartbeatPeriod must be at least 10 ms, but was " + heartbeatPeriod);
            }
            requireAtLeastOneMilli("lease", lease);
            requireAtLeastOneMilli("retention", retention);
            if (!inProgressWait.isZero()) {
                requireAtLeastOneMilli("inProgressWait", inProgressWait);
            }
            if (maxKeyLength < 1 || maxKeyLength > MAX_KEY_LENGTH) {
                throw new IllegalArgumentException(
                        "maxKeyLength must be 1.." + MAX_KEY_LENGTH + ", but was " + maxKeyLength);
            }
            if (maxStoredBodyBytes < 1 || maxStoredBodyBytes > MAX_STORED_BODY_BYTES) {
                throw new IllegalArgumentException(
                        "maxStoredBodyBytes must be 1.." + MAX_STORED_BODY_BYTES + ", but was " + maxStoredBodyBytes);
            }
            if (routes != null) {
                if (routes.isEmpty()) {
                    throw new IllegalArgumentException("routes must name at least one route, but was empty");
                }
                for (String route : routes) {
                    if (!ROUTE.matcher(route).matches()) {
                        throw new IllegalArgumentException(
                                "routes must be 'METHOD /template' such as 'POST /orders', but was '" + route + "'");
                    }
                }
            }
            Set<String> seen = new LinkedHashSet<>();
            for (String name : storedHeaders) {
                if (!HEADER_NAME.matcher(name).matches()) {
                    throw new IllegalArgumentException("storedHeaders must be header names, but was '" + name + "'");
                }
                if (!seen.add(name.toLowerCase(Locale.ROOT))) {
                    throw new IllegalArgumentException(
                            "storedHeaders must not repeat a name, but '" + name + "' appears twice");
                }
            }
            return new IdempotencyConfig(this);
        }

        private static void requireAtLeastOneMilli(String field, Duration value) {
            if (value.toMillis() < 1) {
                throw new IllegalArgumentException(field + " must be at least 1 ms, but was " + value);
            }
        }
    }
}
