/**
 * Valerix core: the toolkit the order and inventory libraries are built from.
 *
 * <ul>
 *   <li>{@link io.valerix.core.deadline} deadlines and the caller-runs time limiter;</li>
 *   <li>{@link io.valerix.core.retry} deadline-aware retries under a retry budget;</li>
 *   <li>{@link io.valerix.core.http} the embedded JSON-over-HTTP server, the OkHttp JSON client
 *       and RFC 9457 problem details;</li>
 *   <li>{@link io.valerix.core.gremlin} seeded, replayable latency and fault injection;</li>
 *   <li>{@link io.valerix.core.health} rolling latency windows, the health light, {@code /health}
 *       and Prometheus {@code /metrics};</li>
 *   <li>{@link io.valerix.core.idempotency} {@code Idempotency-Key} semantics on any route;</li>
 *   <li>{@link io.valerix.core.journal} the change journal: each store write's after-image,
 *       appended in the write's transaction;</li>
 *   <li>{@link io.valerix.core.jdbc} schema migrations, durable embedded H2, PostgreSQL clusters
 *       and transactions whose waits end by a deadline;</li>
 *   <li>{@link io.valerix.core.backup} base backups under a one-call-a-day quota, continuous
 *       archiving and point-in-time restore;</li>
 *   <li>{@link io.valerix.core.time} clocks, and a manual one for tests;</li>
 *   <li>{@link io.valerix.core.service} the service kit that puts the standard filters and
 *       operator routes on a server in the order in which they work together.</li>
 * </ul>
 *
 * <p>Each package's own package-info says what it may use. The packages form no cycle: {@code
 * time} at the bottom, then {@code deadline}, {@code retry}, {@code http}, {@code jdbc}, {@code
 * journal}, {@code gremlin}, {@code health} and {@code idempotency}, with {@code backup} and
 * {@code service} at the top. {@code CorePackageDependenciesTest} keeps it so.
 */
package io.valerix.core;
