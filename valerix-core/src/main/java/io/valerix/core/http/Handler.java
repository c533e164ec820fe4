package io.valerix.core.http;

/**
 * Answers one request. A route handler sees the request with its deadline and returns a
 * response; it does not know which filters (gremlin, latency recording, idempotency) surround it.
 *
 * <p>Throw a {@link ProblemException} to answer with a problem; anything else thrown becomes a
 * 500 {@code internal} problem whose body holds no internals (the server log has the stack trace).
 */
@FunctionalInterface
public interface Handler {

    Response handle(Request request) throws Exception;
}
