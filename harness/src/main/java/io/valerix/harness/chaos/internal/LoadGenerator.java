package io.valerix.harness.chaos.internal;

import io.valerix.harness.chaos.ChaosSettings;
import io.valerix.harness.chaos.internal.OrderClient.Answer;
import io.valerix.harness.chaos.internal.WorkloadPlan.Duplicate;
import io.valerix.harness.chaos.internal.WorkloadPlan.Intent;
import io.valerix.harness.report.AttemptRecord;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * Drives the workload: new orders at a fixed rate (open model) or from N users one after another
 * (closed model), each with its duplicates, retries and follow-ups, on virtual threads.
 *
 * <p><b>Open model.</b> Intent {@code i} is due at {@code i / rate} seconds; its latency counts from
 * then, even if the sender ran late or waited for a free slot, so a stall is measured instead of
 * hidden (coordinated omission, as wrk2 and HdrHistogram's authors describe it).
 *
 * <p><b>A user's life.</b> The first request; on a timeout, a transport error, 409 (in progress),
 * 429 or 5xx, the same request again with the same key after a backoff (or the {@code Retry-After}),
 * at most {@value #MAX_TRIES} tries, except that once the service answered 409 (the key's request is
 * still running, or its holder died and the claim awaits release) the user keeps coming back on
 * its {@code Retry-After}, through 409s and refused connections, for up to {@link
 * #IN_PROGRESS_PATIENCE} from the first try, as a client told "in progress, come back" does; after
 * a PENDING answer, asking again (same key) a few times
 * until the order is settled. A duplicate is sent at the same moment or later, with its fields
 * reordered and sometimes its key quoted: to the service it is the same request.
 *
 * <p>Bounded: at most {@code maxInFlight} requests at once, no new intent after the load ends, no
 * request at all after the drain deadline. Thread-safe.
 */
public final class LoadGenerator implements AutoCloseable {

    static final int MAX_TRIES = 4;
    /**
     * How long a user keeps asking while the service answers 409. Longer than a dead holder's
     * heartbeat takeover (about 5 s) and a restart, so a key in flight at a kill is replayed within
     * the run and its recovery measured, not abandoned after four quick tries.
     */
    static final Duration IN_PROGRESS_PATIENCE = Duration.ofSeconds(30);

    private static final int MAX_IN_PROGRESS_TRIES = 40;
    static final int MAX_FOLLOW_UPS = 3;

    private final ChaosSettings settings;
    private final WorkloadPlan plan;
    private final ClientLog log;
    private final RunClock clock;
    private final OrderClient client;
    private final TaskGroup tasks = new TaskGroup("chaos-client");
    private final LongAdder sent = new LongAdder();
    private final LongAdder answered = new LongAdder();
    private final AtomicLong intentsStarted = new AtomicLong();
    private final Recorder latencyMicros = new Recorder(3_600_000_000L, 2);
    private volatile boolean stopping;
    private long loadStart;
    private long loadEnd;
    private long hardStop;

    /** @param orderUris the order instances; requests are spread over them round robin */
    public LoadGenerator(
            ChaosSettings settings, WorkloadPlan plan, List<URI> orderUris, ClientLog log, RunClock clock) {
        this.settings = settings;
        this.plan = plan;
        this.log = log;
        this.clock = clock;
        this.client = new OrderClient(
                orderUris, settings.clientTimeout(false), settings.clientTimeout(true), settings.maxInFlight(), clock);
    }

    /** Starts sending now; new intents stop after the settings' duration. */
    public void start() {
        loadStart = System.nanoTime();
        loadEnd = loadStart + settings.duration().toNanos();
        hardStop = loadEnd + settings.drainTimeout().toNanos();
        if (settings.users() > 0) {
            AtomicLong next = new AtomicLong();
            for (int u = 0; u < settings.users(); u++) {
                tasks.spawn(() -> {
                    while (!stopping && System.nanoTime() < loadEnd) {
                        long n = next.getAndIncrement();
                        if (n >= ChaosSettings.MAX_INTENTS) {
                            return;
                        }
                        live(plan.intent(n), System.nanoTime());
                    }
                });
            }
        } else {
            tasks.spawn(this::schedule);
        }
    }

    private void schedule() {
        long planned = settings.plannedIntents();
        double interval = 1e9 / settings.rate();
        for (long n = 0; n < planned && !stopping; n++) {
            long due = loadStart + Math.round(n * interval);
            if (due >= loadEnd || !sleepUntil(due)) {
                return;
            }
            Intent intent = plan.intent(n);
            tasks.spawn(() -> live(intent, due));
        }
    }

    /** One user's life with one intent: the main chain runs here, duplicates and follow-ups beside it. */
    private void live(Intent intent, long due) {
        intentsStarted.incrementAndGet();
        AtomicInteger attempts = new AtomicInteger();
        if (intent.duplicate() == Duplicate.CONCURRENT) {
            tasks.spawn(() -> send(intent, AttemptRecord.DUPLICATE, attempts, due, true, intent.quotedKey(), false));
        } else if (intent.duplicate() == Duplicate.LATER) {
            long at = due + intent.duplicateDelayMs() * 1_000_000;
            tasks.spawn(() -> {
                if (sleepUntil(at)) {
                    send(intent, AttemptRecord.DUPLICATE, attempts, at, true, intent.quotedKey(), false);
                }
            });
        }
        String kind = AttemptRecord.FIRST;
        long intended = due;
        long patientUntil = due + IN_PROGRESS_PATIENCE.toNanos();
        boolean toldInProgress = false;
        for (int tries = 1; ; tries++) {
            Answer answer = send(intent, kind, attempts, intended, false, false, intent.impatient());
            AttemptRecord r = answer.record();
            if (r.acknowledged()) {
                if ("PENDING".equals(r.orderStatus())) {
                    tasks.spawn(() -> followUp(intent, attempts));
                }
                return;
            }
            // Once told "in progress", a refused connection on the way (the instance that held the key
            // is down; the next try goes to another) does not end the user's patience.
            toldInProgress |= r.status() == 409;
            boolean stillInProgress = toldInProgress
                    && (r.status() == 409 || r.status() == 0)
                    && tries < MAX_IN_PROGRESS_TRIES
                    && System.nanoTime() < patientUntil;
            if (!retryable(r) || (tries >= MAX_TRIES && !stillInProgress)) {
                return;
            }
            long backoffMs = answer.retryAfterMs() > 0
                    ? answer.retryAfterMs()
                    : (100L << (tries - 1)) + WorkloadPlan.jitterMillis(intent, tries);
            intended = System.nanoTime() + backoffMs * 1_000_000;
            kind = AttemptRecord.RETRY;
            if (!sleepUntil(intended)) {
                return;
            }
        }
    }

    private void followUp(Intent intent, AtomicInteger attempts) {
        for (int k = 0; k < MAX_FOLLOW_UPS; k++) {
            long at = System.nanoTime() + settings.followUpDelay().toNanos();
            if (!sleepUntil(at)) {
                return;
            }
            AttemptRecord r = send(intent, AttemptRecord.FOLLOW_UP, attempts, at, false, false, false)
                    .record();
            if (r.acknowledged() && !"PENDING".equals(r.orderStatus())) {
                return;
            }
            if (!r.acknowledged() && !retryable(r)) {
                return;
            }
        }
    }

    private Answer send(
            Intent intent,
            String kind,
            AtomicInteger attempts,
            long intended,
            boolean reordered,
            boolean quoted,
            boolean impatientUser) {
        sent.increment();
        Answer answer = client.send(
                intent,
                kind,
                attempts.incrementAndGet(),
                intended,
                phaseAt(intended),
                reordered,
                quoted,
                impatientUser);
        answered.increment();
        latencyMicros.recordValue(
                Math.max(0, Math.min(3_600_000_000L, Math.round(answer.record().latencyMs() * 1e3))));
        log.record(answer.record());
        return answer;
    }

    private static boolean retryable(AttemptRecord r) {
        int s = r.status();
        return s == 0 || s == 409 || s == 429 || s >= 500;
    }

    /** The phase a request belongs to, by when it was meant to go out. */
    String phaseAt(long nanos) {
        long offset = nanos - loadStart;
        if (offset < settings.chaosStart().toNanos()) {
            return "baseline";
        }
        if (offset < settings.recoveryStart().toNanos()) {
            return "chaos";
        }
        return "recovery";
    }

    /** Sleeps until {@code nanos}; false if the run is stopping or past its drain deadline. */
    private boolean sleepUntil(long nanos) {
        if (nanos >= hardStop) {
            return false;
        }
        while (!stopping) {
            long left = nanos - System.nanoTime();
            if (left <= 0) {
                return true;
            }
            try {
                Thread.sleep(left / 1_000_000, (int) (left % 1_000_000));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return false;
    }

    /**
     * Waits for every request, retry and follow-up to finish, at most until the drain deadline;
     * then cancels what is left.
     *
     * @return how many tasks were cut off (0 if the drain finished)
     */
    public int drain() throws InterruptedException {
        if (tasks.awaitIdle(hardStop)) {
            return 0;
        }
        int left = tasks.active();
        stopping = true;
        client.cancelAll();
        tasks.interruptAll();
        tasks.awaitIdle(System.nanoTime() + 5_000_000_000L);
        return left;
    }

    public long sent() {
        return sent.sum();
    }

    public long answered() {
        return answered.sum();
    }

    public long intentsStarted() {
        return intentsStarted.get();
    }

    /** Requests in flight or waiting for a retry, and users between orders. */
    public int activeTasks() {
        return tasks.active();
    }

    /** Latencies since the last call, in microseconds. */
    public Histogram intervalLatencies() {
        return latencyMicros.getIntervalHistogram();
    }

    public String phaseNow() {
        return phaseAt(System.nanoTime());
    }

    @Override
    public void close() {
        stopping = true;
        client.close();
        tasks.interruptAll();
    }
}
