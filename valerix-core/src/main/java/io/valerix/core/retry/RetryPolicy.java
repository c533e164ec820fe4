package io.valerix.core.retry;

import io.valerix.core.deadline.Deadline;
import io.valerix.core.deadline.DeadlineExceededException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Predicate;

/**
 * Deadline-aware retries: a failed call is tried again only if it is idempotent, the failure is
 * transient, the {@link RetryBudget} has a retry left, and the backoff still ends before the
 * deadline. A retry never starts after the deadline, and no backoff sleeps past it.
 *
 * <p>Backoff is "full jitter": attempt n waits a uniform random time in {@code [0, min(maxBackoff,
 * baseBackoff × 2^(n-1))]}, which spreads retries of many clients apart.
 *
 * <p>Immutable and thread-safe; the budget inside is shared by every call through the policy.
 */
public final class RetryPolicy {

    /**
     * The default notion of transient: an I/O failure, or a {@link TransientFailure} that says it is
     * (for HTTP calls: a transport failure, or a remote 429, 502, 503 or 504). A {@link
     * DeadlineExceededException} is never retried: the deadline it hit is the caller's.
     */
    public static final Predicate<Throwable> TRANSIENT = failure -> failure instanceof IOException
            || failure instanceof UncheckedIOException
            || (failure instanceof TransientFailure classified && classified.isTransient());

    private final int maxAttempts;
    private final Duration baseBackoff;
    private final Duration maxBackoff;
    private final RetryBudget budget;
    private final Predicate<Throwable> retryOn;

    private RetryPolicy(Builder builder) {
        this.maxAttempts = builder.maxAttempts;
        this.baseBackoff = builder.baseBackoff;
        this.maxBackoff = builder.maxBackoff;
        this.budget = builder.budget;
        this.retryOn = builder.retryOn;
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Runs {@code attempt}, retrying as this policy allows.
     *
     * @param deadline no retry starts, and no backoff ends, after it
     * @param idempotent whether running the attempt twice is safe; if false it runs exactly once
     * @return the first successful result
     * @throws RuntimeException the last failure when no retry is allowed; checked exceptions are
     *     wrapped in {@link RetryFailedException}
     */
    public <T> T call(Deadline deadline, boolean idempotent, Callable<T> attempt) {
        Objects.requireNonNull(deadline, "deadline");
        Objects.requireNonNull(attempt, "attempt");
        budget.recordFirstAttempt();
        for (int attemptNumber = 1; ; attemptNumber++) {
            try {
                return attempt.call();
            } catch (Exception failure) {
                if (failure instanceof InterruptedException) {
                    Thread.currentThread().interrupt();
                    throw rethrow(failure);
                }
                if (!idempotent
                        || failure instanceof DeadlineExceededException
                        || !retryOn.test(failure)
                        || attemptNumber >= maxAttempts) {
                    throw rethrow(failure);
                }
                long backoff = backoffNanos(attemptNumber);
                // Only sleep if the retry could still start in time, and only then spend the budget.
                if (backoff >= deadline.remainingNanos() || !budget.tryAcquireRetry()) {
                    throw rethrow(failure);
                }
                try {
                    Thread.sleep(Duration.ofNanos(backoff));
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    failure.addSuppressed(interrupted);
                    throw rethrow(failure);
                }
                if (deadline.isExpired()) {
                    throw rethrow(failure);
                }
            }
        }
    }

    public int maxAttempts() {
        return maxAttempts;
    }

    public RetryBudget budget() {
        return budget;
    }

    private long backoffNanos(int attemptNumber) {
        long base = baseBackoff.toNanos();
        long cap = maxBackoff.toNanos();
        long exponential = attemptNumber >= 31 ? cap : Math.min(cap, base << Math.min(attemptNumber - 1, 30));
        return exponential <= 0 ? 0 : ThreadLocalRandom.current().nextLong(exponential + 1);
    }

    private static RuntimeException rethrow(Exception failure) {
        return failure instanceof RuntimeException runtime ? runtime : new RetryFailedException(failure);
    }

    /** Builds a {@link RetryPolicy}; validated in {@link #build()}. */
    public static final class Builder {
        private int maxAttempts = 3;
        private Duration baseBackoff = Duration.ofMillis(25);
        private Duration maxBackoff = Duration.ofSeconds(1);
        private RetryBudget budget;
        private Predicate<Throwable> retryOn = TRANSIENT;

        private Builder() {}

        /** Attempts in all, the first included; 1 means no retry. Default 3. */
        public Builder maxAttempts(int maxAttempts) {
            this.maxAttempts = maxAttempts;
            return this;
        }

        /** The backoff before the first retry's jitter, doubling each retry up to {@code max}. */
        public Builder backoff(Duration base, Duration max) {
            this.baseBackoff = Objects.requireNonNull(base, "base");
            this.maxBackoff = Objects.requireNonNull(max, "max");
            return this;
        }

        /** The retry budget; a new {@code RetryBudget.of(0.2)} unless set. */
        public Builder budget(RetryBudget budget) {
            this.budget = Objects.requireNonNull(budget, "budget");
            return this;
        }

        /** Which failures are transient; {@link #TRANSIENT} unless set. */
        public Builder retryOn(Predicate<Throwable> retryOn) {
            this.retryOn = Objects.requireNonNull(retryOn, "retryOn");
            return this;
        }

        public RetryPolicy build() {
            if (maxAttempts < 1) {
                throw new IllegalArgumentException("maxAttempts must be at least 1, but was " + maxAttempts);
            }
            if (baseBackoff.isNegative() || maxBackoff.isNegative()) {
                throw new IllegalArgumentException(
                        "backoff must not be negative, but was " + baseBackoff + ".." + maxBackoff);
            }
            if (baseBackoff.compareTo(maxBackoff) > 0) {
                throw new IllegalArgumentException(
                        "base backoff " + baseBackoff + " must not exceed max backoff " + maxBackoff);
            }
            if (budget == null) {
                budget = RetryBudget.of(0.2);
            }
            return new RetryPolicy(this);
        }
    }
}
