package io.valerix.core.idempotency;

import io.valerix.core.http.ProblemType;

/**
 * The problems {@link IdempotencyFilter} answers with, as stable {@code
 * urn:valerix:problem:<slug>} types clients can switch on. None of them ran the handler.
 */
public final class IdempotencyProblems {

    /** 400: the route needs a key, and neither the header nor the fallback extractor gave one. */
    public static final ProblemType KEY_MISSING =
            ProblemType.of("idempotency-key-missing", "Idempotency key missing", 400);

    /**
     * 400: the key is malformed (not a structured-field string or a bare token), empty, too long,
     * holds control characters, or the header was sent more than once.
     */
    public static final ProblemType INVALID_KEY =
            ProblemType.of("invalid-idempotency-key", "Invalid idempotency key", 400);

    /** 422: the key was already used for a different request (method, path or body differ). */
    public static final ProblemType KEY_REUSED =
            ProblemType.of("idempotency-key-reused", "Idempotency key reused", 422);

    /**
     * 409: a request with this key is still running (its lease has not expired); retry after the
     * {@code Retry-After} seconds to get its answer.
     */
    public static final ProblemType REQUEST_IN_PROGRESS =
            ProblemType.of("idempotency-request-in-progress", "Request with this idempotency key in progress", 409);

    /** 503: the idempotency store could not be reached, so the request was not run; retry later. */
    public static final ProblemType STORE_UNAVAILABLE =
            ProblemType.of("idempotency-store-unavailable", "Idempotency store unavailable", 503);

    private IdempotencyProblems() {}
}
