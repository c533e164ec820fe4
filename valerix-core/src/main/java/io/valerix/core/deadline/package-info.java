/**
 * Deadlines and the time limiter: a request's budget shrinks as it travels, and every blocking
 * call under it is cancelled, not abandoned, when the budget runs out.
 *
 * <p>May use {@code time}. Types in {@code io.valerix.core.deadline.internal} (the shared timer
 * thread and one limited execution) are implementation details.
 */
package io.valerix.core.deadline;
