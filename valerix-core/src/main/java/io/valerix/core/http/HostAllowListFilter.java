package io.valerix.core.http;

import java.net.InetAddress;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Refuses every request whose {@code Host} header names a host the service does not answer to,
 * with 421 {@code host-not-allowed}, before anything else runs.
 *
 * <p>This is what makes DNS rebinding useless: a web page on {@code evil.example} that rebinds
 * its name to 127.0.0.1 still has its browser send {@code Host: evil.example}, which no allow-list
 * holds. Allowed are the loopback names {@code 127.0.0.1}, {@code localhost} and {@code [::1]}
 * with any port or none, plus the names given to {@link #allowing(Set)}, compared without case. A
 * request without a {@code Host} header, or with a malformed one, is refused too: every browser
 * sends one, and HTTP/1.1 requires it.
 *
 * <p>Install it first (outermost), so refused requests never reach the gremlin, the latency light
 * or a route. Immutable and thread-safe.
 */
public final class HostAllowListFilter implements Filter {

    /** The answer to a request for a host this service does not answer to. */
    public static final ProblemType HOST_NOT_ALLOWED = ProblemType.of("host-not-allowed", "Host not allowed", 421);

    /** The names every allow-list holds. */
    public static final Set<String> LOOPBACK_NAMES = Set.of("127.0.0.1", "localhost", "[::1]");

    private final Set<String> allowed;

    private HostAllowListFilter(Set<String> allowed) {
        this.allowed = allowed;
    }

    /** Allows the loopback names only. */
    public static HostAllowListFilter loopback() {
        return allowing(Set.of());
    }

    /**
     * Allows the loopback names and {@code names}: host names ({@code orders.internal}), IPv4
     * literals, or IPv6 literals in brackets ({@code [fd00::5]}); without a port, as any port is
     * allowed.
     *
     * @throws IllegalArgumentException naming the first name that is not a host
     */
    public static HostAllowListFilter allowing(Set<String> names) {
        Objects.requireNonNull(names, "names");
        Set<String> all = new LinkedHashSet<>(LOOPBACK_NAMES);
        for (String name : names) {
            Objects.requireNonNull(name, "allowed host name");
            String host = name.toLowerCase(Locale.ROOT);
            if (!isHost(host)) {
                throw new IllegalArgumentException(
                        "allowed host must be a host name or IP literal without port, such as orders.internal or [fd00::5], but was '"
                                + name + "'");
            }
            all.add(host);
        }
        return new HostAllowListFilter(Set.copyOf(all));
    }

    /**
     * Allows the loopback names, {@code names}, and {@code bindAddress}'s own literal when it is a
     * specific address (not a wildcard such as {@code 0.0.0.0}): what a server bound there answers
     * to.
     *
     * @throws IllegalArgumentException naming the first name that is not a host
     */
    public static HostAllowListFilter forServer(Set<String> names, InetAddress bindAddress) {
        Objects.requireNonNull(bindAddress, "bindAddress");
        Set<String> all = new LinkedHashSet<>(names);
        if (!bindAddress.isAnyLocalAddress()) {
            all.add(hostLiteral(bindAddress));
        }
        return allowing(all);
    }

    /** How {@code address} is written in a {@code Host} header: IPv6 in brackets. */
    public static String hostLiteral(InetAddress address) {
        String host = address.getHostAddress();
        int zone = host.indexOf('%');
        if (zone >= 0) {
            host = host.substring(0, zone);
        }
        return host.contains(":") ? "[" + host.toLowerCase(Locale.ROOT) + "]" : host;
    }

    /** The allowed names, lower-case; the loopback names included. */
    public Set<String> allowed() {
        return allowed;
    }

    @Override
    public Response filter(Request request, Handler next) throws Exception {
        String header = request.header("Host").orElse(null);
        String host = header == null ? null : hostOf(header.trim().toLowerCase(Locale.ROOT));
        if (host == null || !allowed.contains(host)) {
            String shown = header == null ? "no Host header" : "Host '" + abbreviate(header) + "'";
            return Response.problem(Problem.of(
                            HOST_NOT_ALLOWED,
                            shown
                                    + " is not a name this service answers to; use 127.0.0.1, localhost, [::1] or a configured name")
                    .withInstance(request.path()));
        }
        return next.handle(request);
    }

    // Compiled once: every request's Host header goes through them.
    private static final Pattern PORT = Pattern.compile("[0-9]{1,5}");
    private static final Pattern IP_LITERAL = Pattern.compile("\\[[0-9a-f:.]+]");
    private static final Pattern HOST_NAME =
            Pattern.compile("[a-z0-9]([a-z0-9-]*[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*");

    /** The host part of a {@code Host} value, or null when it is malformed. */
    private static String hostOf(String value) {
        String host;
        String port;
        if (value.startsWith("[")) {
            int close = value.indexOf(']');
            if (close < 0) {
                return null;
            }
            host = value.substring(0, close + 1);
            String rest = value.substring(close + 1);
            if (!rest.isEmpty() && !rest.startsWith(":")) {
                return null;
            }
            port = rest.isEmpty() ? "" : rest.substring(1);
        } else {
            int colon = value.indexOf(':');
            host = colon < 0 ? value : value.substring(0, colon);
            port = colon < 0 ? "" : value.substring(colon + 1);
            if (colon >= 0 && port.isEmpty()) {
                return null;
            }
        }
        if (!port.isEmpty() && !PORT.matcher(port).matches()) {
            return null;
        }
        return isHost(host) ? host : null;
    }

    private static boolean isHost(String host) {
        if (host.startsWith("[")) {
            return IP_LITERAL.matcher(host).matches();
        }
        return HOST_NAME.matcher(host).matches();
    }

    private static String abbreviate(String value) {
        String printable = value.replaceAll("[^\\x20-\\x7e]", "?");
        return printable.length() <= 60 ? printable : printable.substring(0, 60) + "…";
    }
}
