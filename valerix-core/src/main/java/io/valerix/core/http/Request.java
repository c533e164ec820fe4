package io.valerix.core.http;

import io.valerix.core.deadline.Deadline;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One HTTP request as a handler or filter sees it: routed, its body read (within the server's
 * size limit), and given a deadline.
 *
 * <p>Everything but {@link #attributes()} is immutable; attributes let filters hand values to
 * what runs inside them.
 */
public interface Request {

    /** The method in upper case, for example {@code PUT}. */
    String method();

    /** The decoded path, for example {@code /reservations/o-1}. */
    String path();

    /**
     * The matched route as {@code METHOD /template}, for example {@code PUT /reservations/{orderId}},
     * or {@code UNMATCHED} when no route matched. Bounded in number, so safe as a metric label.
     */
    String route();

    /**
     * The decoded value of a {@code {name}} segment of the route.
     *
     * @throws IllegalArgumentException if the route has no such parameter
     */
    String pathParam(String name);

    /**
     * The request target as the client sent it: the raw (still percent-encoded) path and, if there
     * was one, {@code ?} and the raw query; what a proxy forwards. By default the decoded {@link
     * #path()}.
     */
    default String target() {
        return path();
    }

    /** The first value of a query parameter, decoded. */
    Optional<String> queryParam(String name);

    /** The first value of a header, by case-insensitive name. */
    Optional<String> header(String name);

    /** All headers by case-insensitive name, unmodifiable. */
    Map<String, List<String>> headers();

    /** The raw body; empty if there was none. */
    byte[] body();

    /**
     * The body read as JSON into {@code type}.
     *
     * @throws ProblemException 415 {@code unsupported-media-type} if the body is not JSON, 400
     *     {@code malformed-json} if it does not parse, 400 {@code invalid-request} if it does not fit
     *     {@code type} (naming the field)
     */
    <T> T bodyAs(Class<T> type);

    /**
     * When the caller stops waiting: its budget header, capped by the server's maximum, counted from
     * the request's {@linkplain #arrivalNanos() arrival}, so {@code deadline().elapsed()} is the time
     * since the request arrived.
     */
    Deadline deadline();

    /**
     * When the request began to arrive on the socket (its first byte), as a reading of {@code
     * deadline().clock()}: earlier than the handler's start by the time spent reading headers and
     * body and waiting for a thread.
     */
    default long arrivalNanos() {
        Deadline deadline = deadline();
        return deadline.clock().nanoTime() - deadline.elapsed().toNanos();
    }

    /** The peer's address. */
    InetSocketAddress remoteAddress();

    /** Values filters hand to what runs inside them; thread-safe and mutable. */
    Map<String, Object> attributes();
}
