package io.valerix.core.health;

import io.valerix.core.http.CallListener;
import java.util.Objects;

/** Feeds a {@link io.valerix.core.http.JsonClient}'s outbound calls into a {@link LatencyMonitor}. */
public final class MonitoredCalls {

    private MonitoredCalls() {}

    /** A call listener recording each call under its dependency, route and outcome. */
    public static CallListener into(LatencyMonitor monitor) {
        Objects.requireNonNull(monitor, "monitor");
        return (dependency, route, outcome, nanos) -> {
            int space = route.indexOf(' ');
            String method = space < 0 ? "GET" : route.substring(0, space);
            String template = space < 0 ? route : route.substring(space + 1);
            monitor.record(RequestKey.client(dependency, method, template, outcomeOf(outcome)), nanos);
        };
    }

    private static Outcome outcomeOf(String outcome) {
        if (outcome.equals("timeout")) {
            return Outcome.TIMEOUT;
        }
        if (outcome.chars().allMatch(Character::isDigit) && !outcome.isEmpty()) {
            return Outcome.status(Integer.parseInt(outcome));
        }
        return Outcome.ERROR;
    }
}
