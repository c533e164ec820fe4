package io.valerix.core.idempotency.internal;

import io.valerix.core.idempotency.IdempotencyConfig;
import io.valerix.core.idempotency.IdempotencyStore;
import io.valerix.core.idempotency.LeaseHolder;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This incarnation's life in the store: registered at start (which retires the earlier
 * incarnations of the same instance id, freeing their claims), a heartbeat every period on a
 * daemon thread, retired at a clean stop. A process that dies simply stops beating.
 *
 * <p>Thread-safe.
 */
public final class HolderHeartbeat implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(HolderHeartbeat.class);

    private final IdempotencyStore store;
    private final LeaseHolder holder;
    private final ScheduledExecutorService beats;
    /** Only the first failure of a run of failures is logged as a warning, and the recovery once. */
    private volatile boolean failing;

    private HolderHeartbeat(IdempotencyStore store, IdempotencyConfig config, LeaseHolder holder) {
        this.store = store;
        this.holder = holder;
        this.beats = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "valerix-idempotency-heartbeat-" + holder);
            thread.setDaemon(true);
            return thread;
        });
        long period = config.heartbeatPeriod().toNanos();
        beats.scheduleAtFixedRate(this::beat, period, period, TimeUnit.NANOSECONDS);
    }

    /**
     * Registers a new incarnation of the config's instance id and starts beating.
     *
     * @throws io.valerix.core.idempotency.IdempotencyStoreException if the store could not register it
     */
    public static HolderHeartbeat start(IdempotencyStore store, IdempotencyConfig config) {
        LeaseHolder holder = store.register(config.instanceId());
        log.info(
                "idempotency claims of this process are held by {} (heartbeat every {}, taken over after {} without one);"
                        + " claims left by earlier starts of '{}' are free",
                holder,
                config.heartbeatPeriod(),
                config.heartbeatTimeout(),
                holder.instanceId());
        return new HolderHeartbeat(store, config, holder);
    }

    /** The holder this incarnation's claims name. */
    public LeaseHolder holder() {
        return holder;
    }

    private void beat() {
        try {
            if (!store.beat(holder)) {
                log.error(
                        "the idempotency store no longer knows {}: a later start of instance '{}' retired it. Is a second process"
                                + " running with the same instance id? Claims of this process can be taken over at once",
                        holder,
                        holder.instanceId());
                return;
            }
            if (failing) {
                failing = false;
                log.info("the heartbeat of {} is recorded again", holder);
            }
        } catch (RuntimeException e) {
            if (!failing) {
                failing = true;
                log.warn(
                        "could not record the heartbeat of {}; if this lasts, other instances take over its claims: {}",
                        holder,
                        e.getMessage());
            }
        }
    }

    /** Stops beating and retires the holder, so whatever it still holds can be taken over at once. */
    @Override
    public void close() {
        beats.shutdownNow();
        try {
            beats.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            store.retire(holder);
        } catch (RuntimeException e) {
            log.warn(
                    "could not retire {}; its claims are taken over once its heartbeat is stale: {}",
                    holder,
                    e.getMessage());
        }
    }
}
