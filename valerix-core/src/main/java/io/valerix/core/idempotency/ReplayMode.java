package io.valerix.core.idempotency;

/**
 * What {@link IdempotencyFilter} keeps of a handler's answer, and so what a retry with the same
 * key gets.
 *
 * <p>By default the status decides ({@link #forStatus(int)}); a handler that knows better sets
 * the mode for its answer with {@link IdempotencyFilter#replayMode(io.valerix.core.http.Request,
 * ReplayMode)}.
 */
public enum ReplayMode {

    /**
     * The answer is final: it is stored and every retry gets it replayed, byte for byte, with
     * {@code Idempotent-Replayed: true}. The default for 2xx (except 202) and 3xx.
     */
    REPLAY,

    /**
     * The answer is not final (the outcome is not known yet): the key stays bound to this request,
     * but no answer is stored, and a retry runs the handler again so it can answer with the current
     * state. The handler must itself be idempotent for such requests. The default for 202 Accepted,
     * and what a larger-than-allowed or streamed final answer falls back to.
     */
    RERUN,

    /**
     * Nothing is kept: the claim is deleted and a retry with the same key starts afresh, with any
     * body. The default for 1xx, 4xx (the client can fix the request and retry) and 5xx.
     */
    FORGET;

    /** The mode of an answer with {@code status} unless the handler chose one. */
    public static ReplayMode forStatus(int status) {
        if (status == 202) {
            return RERUN;
        }
        return status >= 200 && status < 400 ? REPLAY : FORGET;
    }
}
