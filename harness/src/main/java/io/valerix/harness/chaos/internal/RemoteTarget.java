package io.valerix.harness.chaos.internal;

import com.fasterxml.jackson.databind.JsonNode;
import io.valerix.core.gremlin.GremlinSpec;
import io.valerix.harness.chaos.ServiceTarget;
import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Services at given URLs: the gremlin is switched with {@code PUT /admin/gremlin}, and its original
 * spec is put back on {@link #close()}.
 */
public final class RemoteTarget implements ServiceTarget {

    private static final Logger log = LoggerFactory.getLogger(RemoteTarget.class);
    // The admin routes sit behind the gremlin too: an 'after' delay of up to 5 s is normal.
    private static final Duration ADMIN_TIMEOUT = Duration.ofSeconds(60);

    private final List<URI> orderUris;
    private final URI inventoryUri;
    private final String orderToken;
    private final String inventoryToken;
    private final HttpJson http = new HttpJson(ADMIN_TIMEOUT);
    private String originalSpec;

    public RemoteTarget(List<URI> orderUris, URI inventoryUri, String orderToken, String inventoryToken) {
        this.orderUris = List.copyOf(orderUris);
        if (this.orderUris.isEmpty()) {
            throw new IllegalArgumentException("at least one order service URI is needed");
        }
        this.inventoryUri = Objects.requireNonNull(inventoryUri, "inventoryUri");
        this.orderToken = Objects.requireNonNull(orderToken, "orderToken");
        this.inventoryToken = Objects.requireNonNull(inventoryToken, "inventoryToken");
    }

    @Override
    public URI orderUri() {
        return orderUris.get(0);
    }

    @Override
    public List<URI> orderUris() {
        return orderUris;
    }

    @Override
    public URI inventoryUri() {
        return inventoryUri;
    }

    @Override
    public String orderAdminToken() {
        return orderToken;
    }

    @Override
    public String inventoryAdminToken() {
        return inventoryToken;
    }

    @Override
    public boolean startedHere() {
        return false;
    }

    @Override
    public synchronized void setGremlin(GremlinSpec spec) {
        if (originalSpec == null) {
            originalSpec = http.get(inventoryUri, "/admin/gremlin", inventoryToken)
                    .path("spec")
                    .asText("none");
        }
        http.put(inventoryUri, "/admin/gremlin", inventoryToken, Map.of("spec", spec.toText()));
    }

    @Override
    public Map<String, Long> gremlinCounts() {
        JsonNode counts =
                http.get(inventoryUri, "/admin/gremlin", inventoryToken).path("counts");
        Map<String, Long> map = new LinkedHashMap<>();
        counts.properties().forEach(e -> map.put(e.getKey(), e.getValue().asLong()));
        return map;
    }

    @Override
    public synchronized void close() {
        try {
            if (originalSpec != null) {
                http.put(inventoryUri, "/admin/gremlin", inventoryToken, Map.of("spec", originalSpec));
            }
        } catch (RuntimeException e) {
            log.warn("could not put the inventory gremlin back to '{}': {}", originalSpec, e.getMessage());
        } finally {
            http.close();
        }
    }
}
