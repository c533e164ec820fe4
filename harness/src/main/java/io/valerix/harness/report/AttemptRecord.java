package io.valerix.harness.report;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * One request the chaos workload sent, as a line of {@code client.jsonl}: the client's side of the
 * history that the consistency check holds against the databases.
 *
 * <p>Times are milliseconds since the run started (a monotonic clock). {@code latencyMs} is
 * counted from {@code intendedMs}, when the request was meant to go out, not from when it went:
 * a request held back because the client was saturated still counts its wait, so a stall shows
 * up in the percentiles instead of hiding (coordinated omission).
 *
 * @param intent the intent's number: one intent is one order a user means to place once
 * @param orderId the order id the client chose; also its {@code Idempotency-Key}
 * @param sku the SKU ordered
 * @param quantity how many
 * @param kind {@code first}, {@code retry} (the same user again after a timeout or a retryable
 *     answer), {@code duplicate} (a second submission of the same intent, sent concurrently or
 *     later, fields reordered), or {@code follow-up} (asking again after a PENDING answer)
 * @param attempt 1 for the first request of the intent, counting up across all its requests
 * @param phase {@code baseline}, {@code chaos} or {@code recovery}, by {@code intendedMs}
 * @param intendedMs when the request was meant to be sent
 * @param sentMs when it was sent
 * @param endMs when its answer (or failure) came
 * @param latencyMs {@code endMs - intendedMs}
 * @param status the HTTP status, or 0 when there was no answer
 * @param orderStatus the order's status in the answer (PENDING, CONFIRMED, REJECTED, FAILED), or
 *     null
 * @param error why there was no usable answer ({@code timeout}, {@code transport: …}, or the
 *     problem type of an error answer), or null
 * @param instance the order instance the request went to ({@code order-1}, …), or null when the run
 *     drives one order service
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record AttemptRecord(
        long intent,
        String orderId,
        String sku,
        int quantity,
        String kind,
        int attempt,
        String phase,
        double intendedMs,
        double sentMs,
        double endMs,
        double latencyMs,
        int status,
        String orderStatus,
        String error,
        String instance) {

    public static final String FIRST = "first";
    public static final String RETRY = "retry";
    public static final String DUPLICATE = "duplicate";
    public static final String FOLLOW_UP = "follow-up";

    /** A record of a run with one order service (no instance). */
    public AttemptRecord(
            long intent,
            String orderId,
            String sku,
            int quantity,
            String kind,
            int attempt,
            String phase,
            double intendedMs,
            double sentMs,
            double endMs,
            double latencyMs,
            int status,
            String orderStatus,
            String error) {
        this(
                intent,
                orderId,
                sku,
                quantity,
                kind,
                attempt,
                phase,
                intendedMs,
                sentMs,
                endMs,
                latencyMs,
                status,
                orderStatus,
                error,
                null);
    }

    /** True if the service answered with the order (2xx with a status). */
    public boolean acknowledged() {
        return status >= 200 && status < 300 && orderStatus != null;
    }
}
