package io.valerix.core.health;

import io.valerix.core.http.Filter;
import io.valerix.core.http.Handler;
import io.valerix.core.http.OperatorPaths;
import io.valerix.core.http.Request;
import io.valerix.core.http.Response;
import io.valerix.core.time.NanoClock;
import java.util.Objects;

/**
 * Records every request's latency in a {@link LatencyMonitor}, by route template (never by raw
 * path, so ids do not become metric labels) and by status. Add it first, so it measures what the
 * client waits for, the gremlin's delays included; a dropped connection counts as an error.
 *
 * <p>{@linkplain OperatorPaths Operator routes} are not recorded: watching a service must not
 * move its light, and a dashboard's own polling would otherwise keep an idle service GREEN.
 *
 * <p>It {@linkplain Filter#seesRefusedRequests() sees refused requests}: a 503 {@code overloaded}
 * or a 408 for a body too slow is what the client got, so it counts toward the light like any other
 * answer.
 *
 * <p>The time until the body is fully written (a slow body) is not included. Thread-safe.
 */
public final class LatencyRecordingFilter implements Filter {

    private final LatencyMonitor monitor;
    private final NanoClock clock;

    public LatencyRecordingFilter(LatencyMonitor monitor, NanoClock clock) {
        this.monitor = Objects.requireNonNull(monitor, "monitor");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    public Response filter(Request request, Handler next) throws Exception {
        if (OperatorPaths.matches(request.path())) {
            return next.handle(request);
        }
        long start = clock.nanoTime();
        Outcome outcome = Outcome.ERROR;
        try {
            Response response = next.handle(request);
            outcome = response.dropsConnection() ? Outcome.ERROR : Outcome.status(response.status());
            return response;
        } finally {
            monitor.record(
                    RequestKey.server(request.method(), template(request.route()), outcome), clock.nanoTime() - start);
        }
    }

    @Override
    public boolean seesRefusedRequests() {
        return true;
    }

    /** {@code PUT /reservations/{orderId}} → {@code /reservations/{orderId}}. */
    static String template(String route) {
        int space = route.indexOf(' ');
        return space < 0 ? route : route.substring(space + 1);
    }
}
