/**
 * Valerix core: the toolkit the order and inventory libraries are built from.
 *
 * <ul>
 *   <li>{@link io.valerix.core.deadline} deadlines, the time limiter and deadline-aware retries;</li>
 *   <li>{@link io.valerix.core.http} the embedded JSON-over-HTTP server, the OkHttp JSON client and
 *       RFC 9457 problem details;</li>
 * </ul>
 */
package io.valerix.core;
