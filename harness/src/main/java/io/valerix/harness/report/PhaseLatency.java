package io.valerix.harness.report;

/**
 * Latency of one phase's requests, in milliseconds, counted from each request's intended send time.
 *
 * @param count requests whose intended send time fell in the phase
 * @param p50 median
 * @param p90 90th percentile
 * @param p99 99th percentile
 * @param max the largest
 */
public record PhaseLatency(long count, double p50, double p90, double p99, double max) {}
