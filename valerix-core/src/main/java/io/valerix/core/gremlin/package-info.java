/**
 * The gremlin: reproducible latency and fault injection for a server's requests.
 *
 * <p>A {@link io.valerix.core.gremlin.GremlinSpec} (text form {@code uniform(0ms,5s) after
 * p=0.5 route="PUT /reservations/*"; error(503) p=0.1}, or JSON) lists {@link
 * io.valerix.core.gremlin.GremlinRule rules}; a seeded {@link io.valerix.core.gremlin.Gremlin}
 * turns it into one {@link io.valerix.core.gremlin.GremlinDecision} per request, which a server
 * filter applies (sleep, fail, hold, reset, trickle). Deciding never sleeps, so everything here is
 * testable without waiting. Decisions can be saved and replayed with {@link
 * io.valerix.core.gremlin.DecisionLog}. {@code docs/gremlin.md} describes both spec forms.
 *
 * <p>May use {@code deadline} (a held answer and a proxied call end with the request's budget), {@code
 * http} and {@code time}. It knows nothing of metrics: {@link
 * io.valerix.core.health.GremlinMetrics} reads its counts from the health side. Types in {@code
 * io.valerix.core.gremlin.internal} are implementation details.
 */
package io.valerix.core.gremlin;
