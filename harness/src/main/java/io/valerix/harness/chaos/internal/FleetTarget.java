package io.valerix.harness.chaos.internal;

import io.valerix.core.gremlin.GremlinSpec;
import io.valerix.harness.chaos.ServiceTarget;
import io.valerix.harness.fleet.ServiceFleet;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A {@link ServiceFleet}'s processes: the gremlin is switched over HTTP as for a {@link
 * RemoteTarget} (the inventory runs in another JVM), and requests are spread over every order
 * instance. Closing it stops nothing; the fleet's starter does.
 */
public final class FleetTarget implements ServiceTarget {

    /** Covers an inventory restart under way (a JVM start on a busy machine), with room to spare. */
    private static final long RETRY_FOR_NANOS = TimeUnit.MINUTES.toNanos(3);

    private final ServiceFleet fleet;
    private final RemoteTarget remote;
    private volatile GremlinSpec current;

    public FleetTarget(ServiceFleet fleet) {
        this.fleet = fleet;
        this.remote = new RemoteTarget(
                fleet.orderUris(),
                fleet.inventoryUri(),
                fleet.settings().services().adminToken(),
                fleet.settings().services().adminToken());
    }

    @Override
    public URI orderUri() {
        return fleet.orderUris().get(0);
    }

    @Override
    public List<URI> orderUris() {
        return fleet.orderUris();
    }

    @Override
    public URI inventoryUri() {
        return fleet.inventoryUri();
    }

    @Override
    public String orderAdminToken() {
        return fleet.settings().services().adminToken();
    }

    @Override
    public String inventoryAdminToken() {
        return fleet.settings().services().adminToken();
    }

    @Override
    public boolean startedHere() {
        return true;
    }

    /** Sets the spec; if inventory is down (killed, restarting), tries again until it serves. */
    @Override
    public void setGremlin(GremlinSpec spec) {
        current = spec;
        retrying(() -> {
            remote.setGremlin(spec);
            return null;
        });
    }

    /**
     * Puts the last spec back on inventory: a restarted inventory starts with the spec it was
     * launched with, not the one the run had switched to.
     */
    public void restoreGremlin() {
        GremlinSpec spec = current;
        if (spec != null) {
            setGremlin(spec);
        }
    }

    /** The counters now; a restarted inventory counts from zero again. */
    @Override
    public Map<String, Long> gremlinCounts() {
        return retrying(remote::gremlinCounts);
    }

    private static <T> T retrying(java.util.function.Supplier<T> call) {
        long until = System.nanoTime() + RETRY_FOR_NANOS;
        while (true) {
            try {
                return call.get();
            } catch (RuntimeException e) {
                if (System.nanoTime() >= until) {
                    throw e;
                }
                try {
                    Thread.sleep(250);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
            }
        }
    }

    @Override
    public void close() {
        remote.close();
    }
}
