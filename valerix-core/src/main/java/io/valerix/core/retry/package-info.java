/**
 * Deadline-aware retries of idempotent calls, bounded by a retry budget.
 *
 * <p>May use {@code deadline} and {@code time}; it knows no transport. A failure says whether it
 * is transient by implementing {@link io.valerix.core.retry.TransientFailure}.
 */
package io.valerix.core.retry;
