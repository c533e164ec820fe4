package io.valerix.harness.chaos.internal;

import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;

/**
 * Every choice the workload makes, as a pure function of the seed and the intent's number: the
 * SKU, the quantity, whether the user is impatient, whether and how the order is submitted twice,
 * and the jitter of each retry. So the same seed plans the same workload on any machine, whatever
 * the timing; only the order ids' run prefix differs between runs, so two runs never share an
 * order.
 *
 * <p>Quantities are 1 (70%), 2 (20%) or 3 (10%), SKUs uniform over the stocked ones, so scarce
 * SKUs run out and later orders for them must be rejected. Immutable and thread-safe.
 */
public final class WorkloadPlan {

    /** How an intent is submitted a second time. */
    public enum Duplicate {
        NONE,
        /** At the same moment as the first request: a double click. */
        CONCURRENT,
        /** Some time later (0.2 to 3 s): a user who submits again. */
        LATER
    }

    /**
     * One order a user means to place once.
     *
     * @param number the intent's number, from 0
     * @param orderId the run prefix and the number; also the {@code Idempotency-Key}
     * @param duplicateDelayMs for {@link Duplicate#LATER}, how long after the first request
     * @param quotedKey whether the duplicate sends the key as a structured-field string ({@code "…"})
     * @param salt the seed of the intent's retry jitter
     */
    public record Intent(
            long number,
            String orderId,
            String sku,
            int quantity,
            boolean impatient,
            Duplicate duplicate,
            long duplicateDelayMs,
            boolean quotedKey,
            long salt) {}

    private final long seed;
    private final String runId;
    private final List<String> skus;
    private final double duplicates;
    private final double impatient;

    public WorkloadPlan(long seed, String runId, List<String> skus, double duplicates, double impatient) {
        this.seed = seed;
        this.runId = Objects.requireNonNull(runId, "runId");
        this.skus = List.copyOf(skus);
        if (this.skus.isEmpty()) {
            throw new IllegalArgumentException("the inventory stocks no SKU, so there is nothing to order");
        }
        this.duplicates = duplicates;
        this.impatient = impatient;
    }

    /** Intent {@code n}; the same for the same seed, SKUs and shares. */
    public Intent intent(long n) {
        // One generator per intent, seeded from (seed, n) alone, so intent n does not depend on how
        // many were drawn before it or on which thread asks.
        SplittableRandom random = new SplittableRandom(mix(seed ^ mix(n + 0x5EED)));
        String sku = skus.get(random.nextInt(skus.size()));
        double q = random.nextDouble();
        int quantity = q < 0.7 ? 1 : q < 0.9 ? 2 : 3;
        boolean isImpatient = random.nextDouble() < impatient;
        Duplicate duplicate = Duplicate.NONE;
        if (random.nextDouble() < duplicates) {
            duplicate = random.nextBoolean() ? Duplicate.CONCURRENT : Duplicate.LATER;
        }
        long delay = 200 + random.nextLong(2_800);
        boolean quoted = random.nextBoolean();
        return new Intent(n, orderId(n), sku, quantity, isImpatient, duplicate, delay, quoted, random.nextLong());
    }

    /** The order id of intent {@code n}. */
    public String orderId(long n) {
        return runId + "-" + String.format("%07d", n);
    }

    /** Retry {@code attempt}'s jitter in [0, 100) ms, from the intent's salt. */
    public static long jitterMillis(Intent intent, int attempt) {
        return Math.floorMod(mix(intent.salt() + attempt), 100);
    }

    /** SplitMix64's finalizer: a good 64-bit mix. */
    static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
