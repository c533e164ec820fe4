/**
 * Latency monitoring and the health light: rolling HdrHistogram windows, the GREEN/RED/IDLE
 * light, the {@code GET /health} report model and Prometheus text rendering for
 * {@code GET /metrics}.
 *
 * <p>Wiring, in the order a server does it:
 *
 * <pre>{@code
 * LatencyMonitor monitor = LatencyMonitor.of(HealthConfig.builder()
 *     .threshold(Duration.ofSeconds(1))
 *     .dependencies("inventory")
 *     .build(), NanoClock.system());
 *
 * // per request, in the latency-recording filter:
 * monitor.record(RequestKey.server("PUT", "/reservations/{orderId}", Outcome.status(200)), nanos);
 *
 * HealthReporter health = HealthReporter.builder(monitor).check("database", dbPing).build();
 * HealthReport report = health.report();          // JSON body, status report.httpStatus()
 *
 * PrometheusExposition metrics = PrometheusExposition.builder().source(monitor).build();
 * String body = metrics.render();                 // Content-Type PrometheusExposition.CONTENT_TYPE
 * }</pre>
 *
 * <p>Everything that reads time takes a {@link io.valerix.core.time.NanoClock}; tests drive a
 * {@link io.valerix.core.time.ManualNanoClock} instead of sleeping.
 *
 * <p>May use {@code gremlin} (only to expose its counters, {@link
 * io.valerix.core.health.GremlinMetrics}), {@code http}, {@code jdbc} and {@code time}. {@code
 * io.valerix.core.health.micrometer} is the optional Micrometer adapter; {@code
 * io.valerix.core.health.internal} holds implementation details.
 */
package io.valerix.core.health;
