package io.valerix.harness.chaos;

import io.valerix.core.gremlin.GremlinSpec;
import io.valerix.harness.chaos.internal.FleetTarget;
import io.valerix.harness.chaos.internal.LocalTarget;
import io.valerix.harness.chaos.internal.RemoteTarget;
import io.valerix.harness.fleet.ServiceFleet;
import io.valerix.harness.services.ServicePair;
import java.net.URI;
import java.util.List;
import java.util.Map;

/**
 * The services a chaos run drives: a {@link ServicePair} the harness started in its own JVM, a
 * {@link ServiceFleet} of service processes it started, or services already running at given URLs
 * (for example a {@code valerix up} elsewhere on this machine); one inventory and one or more order
 * instances on one order database.
 *
 * <p>The run turns the inventory's gremlin on and off through it, and reads both databases through
 * the services' read-only admin listings ({@code GET /admin/orders}, {@code GET
 * /admin/reservations}), so the same check works for both kinds. Thread-safe. Closing it stops
 * nothing it did not start (a remote target gets its original gremlin spec back).
 */
public interface ServiceTarget extends AutoCloseable {

    /** A pair this process started; closing the target does not close the pair (its starter does). */
    static ServiceTarget of(ServicePair pair) {
        return new LocalTarget(pair);
    }

    /**
     * Services already running: one inventory and one or more order instances on one order database.
     *
     * @param orderUris the order instances; the client spreads its requests over them round robin
     * @param orderAdminToken the order service's admin token, for {@code GET /admin/orders}
     * @param inventoryAdminToken the inventory's admin token, for its gremlin and {@code GET
     *     /admin/reservations}
     */
    static ServiceTarget remote(
            List<URI> orderUris, URI inventoryUri, String orderAdminToken, String inventoryAdminToken) {
        return new RemoteTarget(orderUris, inventoryUri, orderAdminToken, inventoryAdminToken);
    }

    /** The first (or only) order instance. */
    URI orderUri();

    /**
     * Every order instance, in instance order ({@code order-1} first); the client spreads its
     * requests over them. One for a single order service.
     */
    default List<URI> orderUris() {
        return List.of(orderUri());
    }

    URI inventoryUri();

    /**
     * Services started here as processes ({@link ServiceFleet}); closing the target does not stop
     * them (their starter does). The gremlin is switched over HTTP, as for services at given URLs.
     */
    static ServiceTarget fleet(ServiceFleet fleet) {
        return new FleetTarget(fleet);
    }

    /** The admin token of the order service. */
    String orderAdminToken();

    /** The admin token of the inventory service. */
    String inventoryAdminToken();

    /** True if this process started the services. */
    boolean startedHere();

    /** Makes {@code spec} the inventory gremlin's spec from its next request on. */
    void setGremlin(GremlinSpec spec);

    /** The inventory gremlin's counters ({@code decisions}, {@code delay_after}, …) now. */
    Map<String, Long> gremlinCounts();

    @Override
    void close();
}
