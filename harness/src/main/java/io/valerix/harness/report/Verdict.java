package io.valerix.harness.report;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.List;
import java.util.Map;

/**
 * What the consistency check concluded about a chaos run: the count of each kind of anomaly,
 * examples naming order ids, and how the intents ended. PASS only if {@code lost}, {@code
 * duplicated}, {@code oversold}, {@code unconserved}, {@code pending} and {@code disagreements} are
 * all zero. Immutable. In {@code summary.json} its fields sit at the top level beside the run's
 * ({@link RunSummary}), with {@code verdict} holding {@link #name()}.
 *
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
 * @param outcomes how the intents ended as the client saw them, and the orders' final statuses
 * @param findings examples of each anomaly (a bounded number per category), naming order ids
 */
@JsonPropertyOrder({"verdict"})
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

    public static final String PASS = "PASS";
    public static final String FAIL = "FAIL";

    public Verdict {
        outcomes = RunFiles.ordered(outcomes);
        findings = List.copyOf(findings);
    }

    /** True if nothing was lost, duplicated, oversold, unconserved, left pending or disagreed on. */
    @JsonIgnore
    public boolean passed() {
        return lost == 0 && duplicated == 0 && oversold == 0 && unconserved == 0 && pending == 0 && disagreements == 0;
    }

    /** {@value #PASS} or {@value #FAIL}; written as {@code verdict}, and derived again from the counts when read. */
    @JsonProperty(value = "verdict", access = JsonProperty.Access.READ_ONLY)
    public String name() {
        return passed() ? PASS : FAIL;
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
