package io.valerix.core.health;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.valerix.core.http.JsonServer;
import io.valerix.core.http.Response;
import io.valerix.core.time.NanoClock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Liveness and readiness, answered from memory: {@code GET /health/live} and {@code GET
 * /health/ready}.
 *
 * <ul>
 *   <li>{@code /health/live} is 200 {@code {"status":"UP"}} whenever the process can answer at
 *       all. It touches nothing shared: no pool, no database, no lock.
 *   <li>{@code /health/ready} is 200 when every check is UP, 503 when one is DOWN, with each
 *       check's state and age: {@code {"status":"DOWN","checks":{"database":{"status":"UP",
 *       "ageMs":412},"inventory":{"status":"DOWN","detail":"...","ageMs":87}}}}.
 * </ul>
 *
 * <p>Why from memory: a readiness probe that runs its checks on the request thread waits behind
 * whatever the service waits behind, so it is slowest exactly when it is asked most. Here each
 * check runs on its own background thread once an {@link Builder#interval interval}; a request
 * reads the latest verdicts and never waits. A check that has not answered for {@link
 * Builder#staleAfter staleAfter} (it hangs) counts as DOWN. Checks must not borrow from the
 * service's request pool (use a dedicated connection, see {@link DatabaseHealthCheck}).
 *
 * <p>Lifecycle: {@link #start()} runs the first round of checks (waiting for it up to
 * {@code staleAfter}) and keeps them running; {@link #close()} stops them. Thread-safe.
 */
public final class Readiness implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Readiness.class);

    /** How often each check runs unless set. */
    public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(1);
    /** How old a verdict may get before it counts as DOWN unless set. */
    public static final Duration DEFAULT_STALE_AFTER = Duration.ofSeconds(5);

    /** The state of one check as {@code /health/ready} shows it. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record CheckState(HealthReport.Status status, String detail, Long ageMs) {

        /** This state as a {@link HealthCheck.Result} (the age dropped). */
        public HealthCheck.Result result() {
            return new HealthCheck.Result(status, detail);
        }
    }

    /** The body of {@code /health/ready}. */
    public record Report(HealthReport.Status status, Map<String, CheckState> checks) {

        /** 200 for UP, 503 for DOWN. */
        public int httpStatus() {
            return status == HealthReport.Status.UP ? 200 : 503;
        }
    }

    private record Verdict(HealthCheck.Result result, long atNanos) {}

    private final Map<String, HealthCheck> checks;
    private final Duration interval;
    private final Duration staleAfter;
    private final NanoClock clock;
    private final Map<String, Verdict> latest = new ConcurrentHashMap<>();
    private final List<Thread> threads = new CopyOnWriteArrayList<>();
    private final Object lifecycle = new Object();
    private boolean started;
    private volatile boolean closed;

    private Readiness(Builder builder) {
        this.checks = new LinkedHashMap<>(builder.checks);
        this.interval = builder.interval;
        this.staleAfter = builder.staleAfter;
        this.clock = builder.clock;
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Runs every check once, waiting up to {@code staleAfter} for the round, then keeps running
     * them in the background.
     *
     * @throws IllegalStateException if already started or closed
     */
    public Readiness start() {
        CountDownLatch firstRound = new CountDownLatch(checks.size());
        synchronized (lifecycle) {
            if (started || closed) {
                throw new IllegalStateException("readiness was already started");
            }
            started = true;
            checks.forEach((name, check) -> threads.add(
                    Thread.ofVirtual().name("readiness-" + name).start(() -> loop(name, check, firstRound))));
        }
        try {
            firstRound.await(staleAfter.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return this;
    }

    private void loop(String name, HealthCheck check, CountDownLatch firstRound) {
        while (!closed) {
            HealthCheck.Result result = run(name, check);
            HealthCheck.Result previous =
                    latest.containsKey(name) ? latest.get(name).result() : null;
            latest.put(name, new Verdict(result, clock.nanoTime()));
            if (previous != null && previous.status() != result.status()) {
                log.warn(
                        "readiness check '{}' is now {}{}",
                        name,
                        result.status(),
                        result.detail() == null ? "" : ": " + result.detail());
            }
            firstRound.countDown();
            try {
                // A background probe, not a test: it paces itself.
                Thread.sleep(interval);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private static HealthCheck.Result run(String name, HealthCheck check) {
        try {
            HealthCheck.Result result = check.check();
            return result != null ? result : HealthCheck.Result.down("check returned no result");
        } catch (RuntimeException e) {
            log.debug("readiness check '{}' threw", name, e);
            return HealthCheck.Result.down("check failed: " + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : ": " + e.getMessage()));
        }
    }

    /** The latest verdicts, judged now: a missing or stale verdict is DOWN. Never waits. */
    public Report report() {
        Map<String, CheckState> states = new TreeMap<>();
        HealthReport.Status overall = HealthReport.Status.UP;
        for (String name : checks.keySet()) {
            CheckState state = state(name);
            states.put(name, state);
            if (state.status() == HealthReport.Status.DOWN) {
                overall = HealthReport.Status.DOWN;
            }
        }
        return new Report(overall, states);
    }

    /**
     * The latest verdict of one check, judged now; for {@code /health} to show without running
     * anything.
     *
     * @throws IllegalArgumentException if no check has that name
     */
    public HealthCheck.Result result(String name) {
        if (!checks.containsKey(name)) {
            throw new IllegalArgumentException("no readiness check named '" + name + "'; there are " + checks.keySet());
        }
        return state(name).result();
    }

    private CheckState state(String name) {
        Verdict verdict = latest.get(name);
        if (verdict == null) {
            return new CheckState(HealthReport.Status.DOWN, "not checked yet", null);
        }
        long ageNanos = clock.nanoTime() - verdict.atNanos();
        long ageMs = TimeUnit.NANOSECONDS.toMillis(ageNanos);
        if (ageNanos > staleAfter.toNanos()) {
            return new CheckState(HealthReport.Status.DOWN, "no answer for " + ageMs + " ms (the check hangs)", ageMs);
        }
        return new CheckState(verdict.result().status(), verdict.result().detail(), ageMs);
    }

    /** Adds {@code GET /health/live} and {@code GET /health/ready} to {@code server}. */
    public JsonServer.Builder install(JsonServer.Builder server) {
        Objects.requireNonNull(server, "server");
        Map<String, String> up = Map.of("status", "UP");
        server.route("GET", "/health/live", request -> Response.json(200, up).withHeader("Cache-Control", "no-store"));
        server.route("GET", "/health/ready", request -> {
            Report report = report();
            return Response.json(report.httpStatus(), report).withHeader("Cache-Control", "no-store");
        });
        return server;
    }

    /** Stops the checks. Idempotent. */
    @Override
    public void close() {
        synchronized (lifecycle) {
            closed = true;
        }
        threads.forEach(Thread::interrupt);
    }

    /** Builds a {@link Readiness}; validated in {@link #build()}. Not thread-safe. */
    public static final class Builder {
        private final Map<String, HealthCheck> checks = new LinkedHashMap<>();
        private Duration interval = DEFAULT_INTERVAL;
        private Duration staleAfter = DEFAULT_STALE_AFTER;
        private NanoClock clock = NanoClock.system();

        private Builder() {}

        /**
         * Adds a check under {@code name}. It runs on its own thread; it must bound its own time.
         *
         * @throws IllegalArgumentException if the name is blank or taken
         */
        public Builder check(String name, HealthCheck check) {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(check, "check");
            if (!name.matches("[a-z][a-z0-9-]*")) {
                throw new IllegalArgumentException(
                        "check name must be lower-case letters, digits and '-', but was '" + name + "'");
            }
            if (checks.putIfAbsent(name, check) != null) {
                throw new IllegalArgumentException("check '" + name + "' is already registered");
            }
            return this;
        }

        /** How often each check runs; 1 s unless set; 10 ms to 1 min. */
        public Builder interval(Duration interval) {
            this.interval = Objects.requireNonNull(interval, "interval");
            return this;
        }

        /** How old a verdict may get before it counts as DOWN; 5 s unless set; longer than the interval. */
        public Builder staleAfter(Duration staleAfter) {
            this.staleAfter = Objects.requireNonNull(staleAfter, "staleAfter");
            return this;
        }

        /** The clock verdict ages are read from. */
        public Builder clock(NanoClock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * A readiness with these checks, not yet started.
         *
         * @throws IllegalArgumentException for an interval or staleness out of range
         */
        public Readiness build() {
            if (interval.compareTo(Duration.ofMillis(10)) < 0 || interval.compareTo(Duration.ofMinutes(1)) > 0) {
                throw new IllegalArgumentException("interval must be 10ms to 1min, but was " + interval);
            }
            if (staleAfter.compareTo(interval) <= 0) {
                throw new IllegalArgumentException(
                        "staleAfter must be longer than the interval " + interval + ", but was " + staleAfter);
            }
            return new Readiness(this);
        }
    }
}
