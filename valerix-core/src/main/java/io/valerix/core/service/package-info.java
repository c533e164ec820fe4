/**
 * The service kit: one builder that puts Valerix's standard filters and operator routes on any
 * {@link io.valerix.core.http.JsonServer} (latency light, {@code /health}, {@code /metrics}, the
 * gremlin and its admin route behind the admin token, the deadline cap of the budget header, and
 * idempotency), in the one order in which they work together.
 *
 * <p>The top of core: may use {@code gremlin}, {@code health}, {@code http}, {@code idempotency}
 * and {@code time}; nothing in core uses it.
 */
package io.valerix.core.service;
