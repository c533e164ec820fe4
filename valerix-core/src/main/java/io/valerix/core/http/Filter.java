package io.valerix.core.http;

/**
 * One link of the server's filter chain: sees every request before the route handler and every
 * response after it, and may answer by itself without calling {@code next}.
 *
 * <p>Filters run in the order they were added to the {@link JsonServer.Builder}, the first added
 * outermost. Problems thrown further in have already been turned into responses when they reach a
 * filter, so a filter sees the status the client will see.
 */
@FunctionalInterface
public interface Filter {

  Response filter(Request request, Handler next) throws Exception;
}
