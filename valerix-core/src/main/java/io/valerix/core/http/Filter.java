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
     * True if this filter also sees the requests the server refuses before the chain: those shed at
     * admission (503 {@code overloaded}) and those whose body could not be read (408 too slow, 413
     * too large, 400 broken framing). It runs around the refusal only, with the other such filters,
     * so that these answers count where they must, for example in the latency monitor and the health
     * light. It must be quick and must not block: refusing has to stay cheap under attack. False by
     * default: the gremlin, authentication and idempotency (which would touch a database) do not see
     * refused requests.
     */
    default boolean seesRefusedRequests() {
        return false;
    }
}
