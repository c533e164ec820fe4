package io.valerix.harness.dashboard.internal;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes one {@link Sample} every interval on its own thread, keeps a bounded history of the chart
 * figures, and hands every sample to each subscriber (one per open event stream), so a hundred
 * open pages cost one reading a second, not a hundred.
 *
 * <p>Thread-safe. A subscriber that does not keep up loses its oldest samples, never blocks the
 * sampler.
 */
public final class Sampler implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Sampler.class);

    /** Samples a subscriber may have waiting; a slower reader drops the oldest. */
    private static final int QUEUE = 8;

    private final Duration interval;
    private final int historySize;
    private final int maxSubscribers;
    private final Object lock = new Object();
    private final ArrayDeque<Point> history = new ArrayDeque<>();
    private final Set<Subscription> subscribers = ConcurrentHashMap.newKeySet();
    private ScheduledExecutorService executor;
    private LongFunction<Sample> reader;
    private Sample latest;
    private long seq;
    private boolean closed;

    public Sampler(Duration interval, Duration history, int maxSubscribers) {
        this.interval = Objects.requireNonNull(interval, "interval");
        this.historySize = (int) Math.max(1, history.toMillis() / interval.toMillis());
        this.maxSubscribers = maxSubscribers;
    }

    /**
     * Starts reading with {@code reader} (given the sample's number) every interval, the first at
     * once.
     *
     * @throws IllegalStateException if already started or closed
     */
    public void start(LongFunction<Sample> reader) {
        Objects.requireNonNull(reader, "reader");
        synchronized (lock) {
            if (closed || this.reader != null) {
                throw new IllegalStateException("the dashboard sampler was already started or closed");
            }
            this.reader = reader;
            executor = Executors.newSingleThreadScheduledExecutor(runnable -> {
                Thread thread = new Thread(runnable, "valerix-dashboard-sampler");
                thread.setDaemon(true);
                return thread;
            });
            // Fixed rate keeps the promise of one sample per interval even when a reading is slow.
            executor.scheduleAtFixedRate(this::tick, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    public Duration interval() {
        return interval;
    }

    /** How many samples the chart history holds. */
    public int historySize() {
        return historySize;
    }

    private void tick() {
        try {
            Sample sample = reader.apply(seq + 1);
            synchronized (lock) {
                if (closed) {
                    return;
                }
                seq = sample.seq();
                latest = sample;
                history.addLast(Point.of(sample));
                while (history.size() > historySize) {
                    history.removeFirst();
                }
                for (Subscription s : subscribers) {
                    s.offer(sample);
                }
            }
        } catch (RuntimeException | Error e) {
            // An exception would cancel the schedule for good; log it and sample again next time.
            log.error("dashboard: taking a sample failed", e);
        }
    }

    /** The most recent sample, or null before the first. */
    public Sample latest() {
        synchronized (lock) {
            return latest;
        }
    }

    /**
     * A new subscriber, with the history up to now; it receives every later sample. Null if the
     * sampler is closed or already has its maximum of subscribers.
     */
    public Subscription subscribe() {
        synchronized (lock) {
            if (closed || subscribers.size() >= maxSubscribers) {
                return null;
            }
            Subscription s = new Subscription(List.copyOf(history), latest);
            subscribers.add(s);
            return s;
        }
    }

    /** Stops sampling and ends every subscription, so open event streams finish at once. */
    @Override
    public void close() {
        synchronized (lock) {
            if (closed) {
                return;
            }
            closed = true;
            for (Subscription s : subscribers) {
                s.end();
            }
            subscribers.clear();
        }
        if (executor != null) {
            executor.shutdownNow();
        }
    }

    /** The chart figures of one sample, per scope id. */
    public record Point(long atMs, Map<String, Sample.ScopeView> scopes) {
        static Point of(Sample sample) {
            Map<String, Sample.ScopeView> byId = new LinkedHashMap<>();
            for (Sample.ScopeView scope : sample.scopes()) {
                // Transitions are not charted; dropping them keeps the history small.
                byId.put(
                        scope.id(),
                        new Sample.ScopeView(
                                scope.id(),
                                scope.title(),
                                scope.light(),
                                scope.thresholdMs(),
                                scope.recoveryMs(),
                                scope.windowMs(),
                                scope.count(),
                                scope.ratePerSecond(),
                                scope.errorRate(),
                                scope.p50Ms(),
                                scope.p90Ms(),
                                scope.p99Ms(),
                                scope.maxMs(),
                                List.of()));
            }
            return new Point(sample.atMs(), byId);
        }
    }

    /** One event stream's view of the sampler. */
    public final class Subscription implements AutoCloseable {
        private static final Object END = new Object();

        private final List<Point> history;
        private final Sample first;
        private final BlockingQueue<Object> queue = new ArrayBlockingQueue<>(QUEUE);

        private Subscription(List<Point> history, Sample first) {
            this.history = history;
            this.first = first;
        }

        /** The chart history at the time of subscribing, oldest first. */
        public List<Point> history() {
            return history;
        }

        /** The latest sample at the time of subscribing, or null. */
        public Sample first() {
            return first;
        }

        /**
         * The next sample, waiting at most {@code wait}.
         *
         * @return the sample; {@link Next#timedOut()} if none came; {@link Next#ended()} once the
         *     sampler closed
         */
        public Next next(Duration wait) throws InterruptedException {
            Object item = queue.poll(wait.toMillis(), TimeUnit.MILLISECONDS);
            if (item == END) {
                return new Next(null, true);
            }
            return new Next((Sample) item, false);
        }

        void offer(Sample sample) {
            while (!queue.offer(sample)) {
                queue.poll();
            }
        }

        void end() {
            queue.clear();
            queue.offer(END);
        }

        /** Stops receiving samples. */
        @Override
        public void close() {
            subscribers.remove(this);
        }
    }

    /**
     * What {@link Subscription#next} found.
     *
     * @param sample the sample, or null
     * @param ended true once the sampler has closed
     */
    public record Next(Sample sample, boolean ended) {
        public boolean timedOut() {
            return sample == null && !ended;
        }
    }

    /** How many event streams are open. */
    public int subscriberCount() {
        return subscribers.size();
    }
}
