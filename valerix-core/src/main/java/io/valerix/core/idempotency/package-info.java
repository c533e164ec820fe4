/**
 * Idempotency keys for HTTP routes (IETF {@code Idempotency-Key} draft semantics): the first request
 * with a key runs, retries get its answer, a reused key with a different body gets 422, and a
 * request still running gets 409.
 *
 * <p>Start with {@link io.valerix.core.idempotency.IdempotencyFilter}, configured by {@link
 * io.valerix.core.idempotency.IdempotencyConfig} and keeping its records in an {@link
 * io.valerix.core.idempotency.IdempotencyStore} ({@code IdempotencyStore.of(dataSource)} for
 * services, {@code inMemory()} for tests). {@code docs/idempotency.md} has an example and the
 * full rules.
 *
 * <p>May use {@code deadline}, {@code http}, {@code jdbc}, {@code journal} and {@code time}: the
 * JDBC store journals its writes, but knows nothing of backups. Types in {@code
 * io.valerix.core.idempotency.internal} are implementation details.
 */
package io.valerix.core.idempotency;
