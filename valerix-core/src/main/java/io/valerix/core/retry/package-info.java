/** Deadline-aware retries of idempotent calls, bounded by a retry budget. */
package io.valerix.core.retry;
