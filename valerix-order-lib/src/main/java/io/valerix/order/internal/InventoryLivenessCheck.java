package io.valerix.order.internal;

import io.valerix.core.deadline.Deadline;
import io.valerix.core.deadline.DeadlineExceededException;
import io.valerix.core.health.HealthCheck;
import io.valerix.core.http.JsonClient;
import io.valerix.core.http.JsonRequest;
import io.valerix.core.http.RemoteProblemException;
import io.valerix.core.http.TransportException;
import java.net.URI;
import java.time.Duration;
import java.util.Map;

/**
 * Readiness of the inventory link: {@code GET /health/live} on inventory within 1 s. Liveness,
 * not inventory's readiness, so one database outage does not mark every order service unready
 * as well; inventory's own {@code /health/ready} reports its database. The call shares the
 * request client's connection pool, so it also keeps a connection to inventory open.
 */
public final class InventoryLivenessCheck implements HealthCheck {

    private static final Duration TIMEOUT = Duration.ofSeconds(1);

    private final JsonClient client;

    public InventoryLivenessCheck(URI inventoryUri) {
        // No retries and no call listener: a probe must not count toward inventory's latency light.
        this.client = JsonClient.builder(inventoryUri).name("inventory-health").build();
    }

    @Override
    public Result check() {
        try {
            int status = client.send(JsonRequest.get("/health/live"), Map.class, Deadline.after(TIMEOUT))
                    .status();
            return status == 200 ? Result.up() : Result.down("inventory answered /health/live with " + status);
        } catch (RemoteProblemException e) {
            return Result.down("inventory answered /health/live with " + e.status());
        } catch (TransportException | DeadlineExceededException e) {
            return Result.down("inventory did not answer /health/live: " + e.getMessage());
        }
    }
}
