/**
 * Implementation details of {@link io.valerix.core.health}: the rolling HdrHistogram window
 * behind each monitored key, the light's state machine, cumulative Prometheus buckets and
 * text-format escaping. Users never need these types; they may change without notice.
 */
package io.valerix.core.health.internal;
