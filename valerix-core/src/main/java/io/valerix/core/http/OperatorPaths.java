package io.valerix.core.http;

/**
 * The paths operators use to watch and steer a service: {@code /health} (and {@code
 * /health/live}, {@code /health/ready}), {@code /metrics}, {@code /admin/**} and {@code
 * /dashboard/**}. They are never shed under load, never slowed by
 * the gremlin and never counted toward a service's latency light: watching a service must work
 * when it struggles, and must not change what is watched.
 */
public final class OperatorPaths {

    private OperatorPaths() {}

    /** True for a decoded request path of an operator route. */
    public static boolean matches(String path) {
        return path.equals("/health")
                || path.startsWith("/health/")
                || path.equals("/metrics")
                || path.equals("/admin")
                || path.startsWith("/admin/")
                || path.equals("/dashboard")
                || path.startsWith("/dashboard/");
    }
}
