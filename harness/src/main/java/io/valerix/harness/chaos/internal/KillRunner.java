package io.valerix.harness.chaos.internal;

import io.valerix.harness.chaos.KillSpec;
import io.valerix.harness.fleet.ServiceFleet;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Carries out a run's {@code --kill} schedule while the load runs: at each due time, {@code kill
 * -9} and restart through the fleet. Strikes on different processes overlap; a strike on a process
 * whose restart is still under way waits for it. Strikes due after sending stops are not carried
 * out.
 */
public final class KillRunner {

    private static final Logger log = LoggerFactory.getLogger(KillRunner.class);

    /** Kills a service and starts it again; {@link ServiceFleet#kill} is one. */
    @FunctionalInterface
    public interface Killer {
        ServiceFleet.Kill kill(String service, int instance) throws InterruptedException;
    }

    /** One kill done, in run milliseconds. */
    public record Done(String service, String instanceId, double killedMs, double servingMs) {}

    private record Strike(Duration at, KillSpec spec) {}

    private final List<Strike> strikes = new ArrayList<>();
    private final Killer killer;
    private final RunClock clock;
    private final PrintWriter out;
    private final List<Done> done = Collections.synchronizedList(new ArrayList<>());
    private volatile String failure;
    private Thread thread;

    public KillRunner(List<KillSpec> kills, Duration sendFor, Killer killer, RunClock clock, PrintWriter out) {
        for (KillSpec spec : kills) {
            for (Duration at : spec.schedule().timesBefore(sendFor)) {
                strikes.add(new Strike(at, spec));
            }
        }
        strikes.sort(Comparator.comparing(Strike::at));
        this.killer = killer;
        this.clock = clock;
        this.out = out;
    }

    /** Starts striking, counting from {@code beginNanos} (when sending began). */
    public void start(long beginNanos) {
        if (strikes.isEmpty()) {
            return;
        }
        thread = Thread.ofVirtual().name("chaos-killer").start(() -> {
            List<Thread> under = new ArrayList<>();
            try {
                for (Strike s : strikes) {
                    long left = beginNanos + s.at().toNanos() - System.nanoTime();
                    if (left > 0) {
                        Thread.sleep(Duration.ofNanos(left));
                    }
                    if (failure != null) {
                        break;
                    }
                    // Each strike on its own thread, so a slow restart of one service does not delay a kill
                    // of another; two strikes on one process take turns (the process serializes them).
                    under.add(Thread.ofVirtual()
                            .name("chaos-kill-" + s.spec().toText())
                            .start(() -> strike(s)));
                }
                for (Thread t : under) {
                    t.join();
                }
            } catch (InterruptedException e) {
                under.forEach(Thread::interrupt);
            }
        });
    }

    private void strike(Strike s) {
        try {
            ServiceFleet.Kill kill = killer.kill(s.spec().service(), s.spec().instance());
            Done d = new Done(
                    s.spec().service(), kill.instanceId(), clock.ms(kill.killedNanos()), clock.ms(kill.servingNanos()));
            done.add(d);
            synchronized (out) {
                out.printf(
                        Locale.ROOT,
                        "%n  killed %s with kill -9 at %.1f s; serving again after %.0f ms%n",
                        d.instanceId(),
                        d.killedMs() / 1000,
                        d.servingMs() - d.killedMs());
                out.flush();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            // A service that does not come back makes the rest of the run meaningless, but the check
            // still says what it did to the data, so the run goes on without more kills.
            failure = s.spec().toText() + ": " + e.getMessage();
            log.error("kill {} failed; no more kills this run", s.spec().toText(), e);
        }
    }

    /** Waits for a kill still under way (its restart included), at most {@code limit}. */
    public void await(Duration limit) throws InterruptedException {
        if (thread != null && !thread.join(limit)) {
            thread.interrupt();
        }
    }

    /** Stops striking. */
    public void stop() {
        if (thread != null) {
            thread.interrupt();
        }
    }

    /** The kills done, in the order they were sent. */
    public List<Done> done() {
        synchronized (done) {
            return done.stream()
                    .sorted(Comparator.comparingDouble(Done::killedMs))
                    .toList();
        }
    }

    /** Why the kills stopped early, or null. */
    public String failure() {
        return failure;
    }
}
