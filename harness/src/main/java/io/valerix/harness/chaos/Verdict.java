package io.valerix.harness.chaos;

import io.valerix.harness.report.RunSummary.Finding;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the consistency check concluded: the count of each kind of anomaly, examples naming order
 * ids, and how the intents ended. PASS only if every anomaly count is zero. Immutable.
 *
 * <p>The counts are defined in {@link ConsistencyChecker}.
 *
 * @param intents orders the workload meant to place
 * @param requests requests it sent
 * @param orders orders of the run in the order database
 * @param lost see {@link ConsistencyChecker}
 * @param duplicated see {@link ConsistencyChecker}
 * @param oversold see {@link ConsistencyChecker}
 * @param unconserved see {@link ConsistencyChecker}
 * @param pending see {@link ConsistencyChecker}
 * @param disagreements see {@link ConsistencyChecker}
 * @param outcomes how the intents ended as the client saw them, and the orders' final statuses
 * @param findings up to {@link ConsistencyChecker#MAX_FINDINGS_PER_CATEGORY} examples per category
 */
public record Verdict(
    long intents,
    long requests,
    long orders,
    long lost,
    long duplicated,
    long oversold,
    long unconserved,
    long pending,
    long disagreements,
    Map<String, Long> outcomes,
    List<Finding> findings) {

  public Verdict {
    outcomes = Collections.unmodifiableMap(new LinkedHashMap<>(outcomes));
    findings = List.copyOf(findings);
  }

  /** True if nothing was lost, duplicated, oversold, unconserved, left pending or disagreed on. */
  public boolean passed() {
    return lost == 0 && duplicated == 0 && oversold == 0 && unconserved == 0 && pending == 0 && disagreements == 0;
  }

  /** {@code PASS} or {@code FAIL}. */
  public String name() {
    return passed() ? "PASS" : "FAIL";
  }
}
