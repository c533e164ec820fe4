/**
 * Deadlines and the time limiter: a request's budget shrinks as it travels, and every blocking
 * call under it is cancelled, not abandoned, when the budget runs out.
 */
package io.valerix.core.deadline;
