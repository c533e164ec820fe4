/**
 * Deadlines and the time limiter: a request's budget shrinks as it travels, and every blocking
 * call under it is cancelled, not abandoned, when the budget runs out.
 *
 * <p>May use {@code time} only.
 */
package io.valerix.core.deadline;
