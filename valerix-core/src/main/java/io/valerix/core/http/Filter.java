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

  /**
   * True if this filter also sees the requests the server sheds at admission (answered 503 {@code
   * overloaded} without running the route), so that shed answers count where they must, for
   * example in the latency monitor and the health light. Such a filter runs around the shed answer
   * only, with the other shedding-aware filters; it must be quick and must not block, since
   * shedding has to stay cheap. False by default: the gremlin, authentication and idempotency do not
   * see shed requests.
   */
  default boolean seesShedRequests() {
    return false;
  }
}
