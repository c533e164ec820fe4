package io.valerix.core.http;

/** The HTTP header names Valerix reads and writes. */
public final class ValerixHeaders {

    /**
     * The caller's remaining budget in whole milliseconds, sent with every outbound call. The
     * server makes it the request's deadline, capped by its own maximum. {@code 0} means the caller
     * has already given up: the server refuses the work with 504 {@code deadline-exceeded}.
     */
    public static final String BUDGET_MS = "Valerix-Budget-Ms";

    /** The IETF draft's idempotency key header. */
    public static final String IDEMPOTENCY_KEY = "Idempotency-Key";

    /** Set to {@code true} on a reply replayed from an idempotency record. */
    public static final String IDEMPOTENT_REPLAYED = "Idempotent-Replayed";

    private ValerixHeaders() {}
}
