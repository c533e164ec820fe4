package io.valerix.harness.report;

import java.util.List;
import java.util.Map;

/**
 * The outcome of a chaos run, as {@code summary.json}: the verdict and the figures behind it.
 * PASS only if {@code lost}, {@code duplicated}, {@code oversold}, {@code unconserved}, {@code
 * pending} and {@code disagreements} are all zero. Immutable.
 *
 * @param verdict {@code PASS} or {@code FAIL}
 * @param seed the run's seed
 * @param intents orders the workload meant to place (each once)
 * @param requests HTTP requests it sent for them, with duplicates, retries and follow-ups
 * @param orders orders of this run in the order database
 * @param lost orders acknowledged to the client and then missing: acknowledged at all but no order,
 *     or acknowledged CONFIRMED but not confirmed or without a reservation
 * @param duplicated effects applied more than once: orders no intent asked for, and reservations
 *     that belong to no order and no intent (stock taken under another identity)
 * @param oversold SKUs with stock below zero, more reserved than the stock, or more taken by the
 *     run than was available when it began
 * @param unconserved SKUs whose stock does not add up: total != available + reserved, or the
 *     stock the run took != the quantities of its reservations
 * @param pending orders still PENDING after the bounded wait for the reconciler
 * @param disagreements orders the two databases disagree on: CONFIRMED without a reservation,
 *     REJECTED or FAILED with a RESERVED one, or a reservation held for an order that does not
 *     exist
 * @param latency per phase, counted from intended send times
 * @param outcomes how the intents ended as the client saw them, and the orders' final statuses
 * @param findings examples of each anomaly (a bounded number), naming order ids
 * @param command a command line that repeats the run
 * @param report the report's file name in the run directory
 */
public record RunSummary(
    String verdict,
    long seed,
    long intents,
    long requests,
    long orders,
    long lost,
    long duplicated,
    long oversold,
    long unconserved,
    long pending,
    long disagreements,
    Map<String, PhaseLatency> latency,
    Map<String, Long> outcomes,
    List<Finding> findings,
    String command,
    String report) {

  public static final String PASS = "PASS";
  public static final String FAIL = "FAIL";

  public RunSummary {
    latency = RunFiles.ordered(latency);
    outcomes = RunFiles.ordered(outcomes);
    findings = List.copyOf(findings);
  }

  /**
   * One anomaly the check found.
   *
   * @param category {@code lost}, {@code duplicated}, {@code oversold}, {@code unconserved}, {@code
   *     pending} or {@code disagreements}
   * @param subject the order id, reservation id or SKU concerned
   * @param detail what is wrong, in words
   */
  public record Finding(String category, String subject, String detail) {}
}
