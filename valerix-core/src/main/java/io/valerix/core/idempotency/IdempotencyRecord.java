package io.valerix.core.idempotency;

import java.time.Instant;
import java.util.Objects;

/**
 * What a store keeps for one idempotency key: which request claimed it (its fingerprint), where
 * that request is ({@link State}), the fencing token of the current claim and, once there is
 * one, the answer.
 *
 * <p>A record moves {@code IN_PROGRESS → COMPLETED} (a final answer, replayed to retries),
 * {@code IN_PROGRESS → PENDING_RESULT} (an answer that was not final: retries run the handler
 * again), or is deleted (the handler's answer was not to be kept, or a sweeper released an
 * expired claim). {@code PENDING_RESULT} and an expired {@code IN_PROGRESS} can be claimed again,
 * which gives the record a new, larger fencing token.
 *
 * <p>Immutable and thread-safe. The transition methods return new records; the store decides,
 * by comparing fencing tokens, whether a transition wins. Instants are stored with microsecond
 * precision, so callers should truncate them (the filter does) to read back what they wrote.
 *
 * @param scope what the key is scoped to: the route, such as {@code POST /orders}
 * @param key the idempotency key, at most 255 characters
 * @param fingerprint the SHA-256 of the request (method, route, path, canonical body), 64 hex
 *     digits
 * @param state where the request is
 * @param fencingToken the current claim's token; unique in its store and larger after each
 *     takeover, so an older claim holder cannot overwrite a newer one
 * @param createdAt when the key was first claimed
 * @param leaseExpiresAt {@code IN_PROGRESS} only: after it, another request may take the claim over
 * @param completedAt {@code PENDING_RESULT} and {@code COMPLETED} only: when the answer was given
 * @param expiresAt {@code PENDING_RESULT} and {@code COMPLETED} only: when the record may be purged
 * @param response {@code COMPLETED} only: the answer to replay
 * @param holder {@code IN_PROGRESS} only, and optional there: the incarnation holding the claim;
 *     when it stops heartbeating the claim can be taken over before {@code leaseExpiresAt}. Null
 *     for claims of an unstarted filter and records written before holders existed.
 */
public record IdempotencyRecord(
        String scope,
        String key,
        String fingerprint,
        State state,
        long fencingToken,
        Instant createdAt,
        Instant leaseExpiresAt,
        Instant completedAt,
        Instant expiresAt,
        StoredResponse response,
        LeaseHolder holder) {

    /** Where the request that claimed a key is. */
    public enum State {
        /** A request holds the key and is running; others get 409 until it finishes or its lease expires. */
        IN_PROGRESS,
        /** The request finished with an answer that was not final; a retry runs the handler again. */
        PENDING_RESULT,
        /** The request finished with a final answer; retries get it replayed. */
        COMPLETED
    }

    /**
     * @throws NullPointerException if a field the state needs is null
     * @throws IllegalArgumentException if the fields do not fit the state, or the token is not positive
     */
    public IdempotencyRecord {
        Objects.requireNonNull(scope, "scope");
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(fingerprint, "fingerprint");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(createdAt, "createdAt");
        if (fencingToken <= 0) {
            throw new IllegalArgumentException("fencingToken must be positive, but was " + fencingToken);
        }
        boolean inProgress = state == State.IN_PROGRESS;
        if (inProgress != (leaseExpiresAt != null)) {
            throw new IllegalArgumentException("leaseExpiresAt must be set exactly when IN_PROGRESS, but state was "
                    + state + " and leaseExpiresAt " + leaseExpiresAt);
        }
        if (inProgress == (completedAt != null) || inProgress == (expiresAt != null)) {
            throw new IllegalArgumentException(
                    "completedAt and expiresAt must be set exactly when finished, but state was " + state
                            + ", completedAt " + completedAt + " and expiresAt " + expiresAt);
        }
        if ((state == State.COMPLETED) != (response != null)) {
            throw new IllegalArgumentException("response must be set exactly when COMPLETED, but state was " + state);
        }
        if (holder != null && !inProgress) {
            throw new IllegalArgumentException(
                    "holder must be null unless IN_PROGRESS, but state was " + state + " and holder " + holder);
        }
    }

    /** A record without a holder. */
    public IdempotencyRecord(
            String scope,
            String key,
            String fingerprint,
            State state,
            long fencingToken,
            Instant createdAt,
            Instant leaseExpiresAt,
            Instant completedAt,
            Instant expiresAt,
            StoredResponse response) {
        this(
                scope,
                key,
                fingerprint,
                state,
                fencingToken,
                createdAt,
                leaseExpiresAt,
                completedAt,
                expiresAt,
                response,
                null);
    }

    /** A fresh claim of {@code key}, held until {@code leaseExpiresAt}. */
    public static IdempotencyRecord inProgress(
            String scope, String key, String fingerprint, long fencingToken, Instant now, Instant leaseExpiresAt) {
        return new IdempotencyRecord(
                scope, key, fingerprint, State.IN_PROGRESS, fencingToken, now, leaseExpiresAt, null, null, null);
    }

    /**
     * This record claimed again (after its lease expired or its holder died, or because its answer
     * was not final), with no holder yet: see {@link #heldBy}.
     */
    public IdempotencyRecord claimedAgain(long newFencingToken, Instant leaseExpiresAt) {
        return new IdempotencyRecord(
                scope,
                key,
                fingerprint,
                State.IN_PROGRESS,
                newFencingToken,
                createdAt,
                leaseExpiresAt,
                null,
                null,
                null);
    }

    /**
     * This {@code IN_PROGRESS} claim held by {@code holder} (null: by no known holder).
     *
     * @throws IllegalArgumentException if this record is not {@code IN_PROGRESS} and {@code holder} is set
     */
    public IdempotencyRecord heldBy(LeaseHolder holder) {
        return new IdempotencyRecord(
                scope,
                key,
                fingerprint,
                state,
                fencingToken,
                createdAt,
                leaseExpiresAt,
                completedAt,
                expiresAt,
                response,
                holder);
    }

    /** This claim finished with a final answer that retries get replayed until {@code expiresAt}. */
    public IdempotencyRecord completed(StoredResponse answer, Instant now, Instant expiresAt) {
        Objects.requireNonNull(answer, "answer");
        return new IdempotencyRecord(
                scope, key, fingerprint, State.COMPLETED, fencingToken, createdAt, null, now, expiresAt, answer);
    }

    /** This claim finished with an answer that was not final; retries run the handler again. */
    public IdempotencyRecord pendingResult(Instant now, Instant expiresAt) {
        return new IdempotencyRecord(
                scope, key, fingerprint, State.PENDING_RESULT, fencingToken, createdAt, null, now, expiresAt, null);
    }

    /** A copy holding {@code fencingToken}, otherwise unchanged. */
    public IdempotencyRecord withFencingToken(long fencingToken) {
        return new IdempotencyRecord(
                scope,
                key,
                fingerprint,
                state,
                fencingToken,
                createdAt,
                leaseExpiresAt,
                completedAt,
                expiresAt,
                response,
                holder);
    }
}
