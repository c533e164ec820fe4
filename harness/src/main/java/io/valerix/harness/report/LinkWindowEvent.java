package io.valerix.harness.report;

/**
 * A fault the link between the order service and inventory went through during a run, as {@code
 * run.json} and the report show it (shaded on the charts).
 *
 * @param fault the fault in spec form, for example {@code blackhole} or {@code latency 300ms}
 * @param startMs when it began, in milliseconds since the run started
 * @param endMs when it ended; equal to {@code startMs} if it was still on when the run ended
 * @param connectionsHit connections reset or cut half-open when it began (0 for other faults)
 */
public record LinkWindowEvent(String fault, double startMs, double endMs, int connectionsHit) {}
