package io.valerix.harness.chaos.internal;

import io.valerix.core.gremlin.GremlinSpec;
import io.valerix.harness.chaos.ServiceTarget;
import io.valerix.harness.fleet.ServiceFleet;
import java.net.URI;
import java.util.List;
import java.util.Map;

/**
 * A {@link ServiceFleet}'s processes: the gremlin is switched over HTTP as for a {@link
 * RemoteTarget} (the inventory runs in another JVM), and requests are spread over every order
 * instance. Closing it stops nothing; the fleet's starter does.
 */
public final class FleetTarget implements ServiceTarget {

  private final ServiceFleet fleet;
  private final RemoteTarget remote;

  public FleetTarget(ServiceFleet fleet) {
    this.fleet = fleet;
    this.remote = new RemoteTarget(fleet.orderUris(), fleet.inventoryUri(), fleet.settings().adminToken(),
        fleet.settings().adminToken());
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
    return fleet.settings().adminToken();
  }

  @Override
  public String inventoryAdminToken() {
    return fleet.settings().adminToken();
  }

  @Override
  public boolean startedHere() {
    return true;
  }

  @Override
  public void setGremlin(GremlinSpec spec) {
    remote.setGremlin(spec);
  }

  @Override
  public Map<String, Long> gremlinCounts() {
    return remote.gremlinCounts();
  }

  @Override
  public void close() {
    remote.close();
  }
}
