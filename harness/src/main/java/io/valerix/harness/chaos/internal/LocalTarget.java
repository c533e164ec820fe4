package io.valerix.harness.chaos.internal;

import io.valerix.core.gremlin.GremlinSpec;
import io.valerix.harness.chaos.ServiceTarget;
import io.valerix.harness.services.ServicePair;
import java.net.URI;
import java.util.Map;

/** A {@link ServicePair} in this process: the gremlin is switched directly, without HTTP. */
public final class LocalTarget implements ServiceTarget {

    private final ServicePair pair;

    public LocalTarget(ServicePair pair) {
        this.pair = pair;
    }

    @Override
    public URI orderUri() {
        return pair.orderUri();
    }

    @Override
    public URI inventoryUri() {
        return pair.inventoryUri();
    }

    @Override
    public String orderAdminToken() {
        return pair.settings().adminToken();
    }

    @Override
    public String inventoryAdminToken() {
        return pair.settings().adminToken();
    }

    @Override
    public boolean startedHere() {
        return true;
    }

    @Override
    public void setGremlin(GremlinSpec spec) {
        pair.gremlin().replaceSpec(spec);
    }

    @Override
    public Map<String, Long> gremlinCounts() {
        return pair.gremlin().counts().asMap();
    }

    @Override
    public void close() {
        // The pair's starter closes it.
    }
}
