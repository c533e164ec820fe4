package io.valerix.harness.chaos.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.valerix.harness.chaos.internal.WorkloadPlan.Duplicate;
import io.valerix.harness.chaos.internal.WorkloadPlan.Intent;
import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

class WorkloadPlanTest {

    private static final List<String> SKUS = List.of("doohickey", "gadget", "gizmo", "widget");

    private static List<Intent> plan(long seed, String runId, int n) {
        WorkloadPlan plan = new WorkloadPlan(seed, runId, SKUS, 0.2, 0.1);
        return LongStream.range(0, n).mapToObj(plan::intent).toList();
    }

    /** The intent without its run prefix, which is new every run. */
    private static Intent withoutPrefix(Intent i) {
        return new Intent(
                i.number(),
                i.orderId().substring(i.orderId().lastIndexOf('-') + 1),
                i.sku(),
                i.quantity(),
                i.impatient(),
                i.duplicate(),
                i.duplicateDelayMs(),
                i.quotedKey(),
                i.salt());
    }

    @Test
    void theSameSeedPlansTheSameWorkloadWhateverTheOrderOfAsking() {
        List<Intent> first = plan(42, "run-a", 2000).stream()
                .map(WorkloadPlanTest::withoutPrefix)
                .toList();
        WorkloadPlan again = new WorkloadPlan(42, "run-b", SKUS, 0.2, 0.1);
        List<Intent> backwards = LongStream.range(0, 2000)
                .map(n -> 1999 - n)
                .mapToObj(again::intent)
                .map(WorkloadPlanTest::withoutPrefix)
                .sorted(java.util.Comparator.comparingLong(Intent::number))
                .toList();

        assertThat(backwards).isEqualTo(first);
    }

    @Test
    void anotherSeedPlansAnotherWorkload() {
        assertThat(plan(43, "r", 200).stream()
                        .map(WorkloadPlanTest::withoutPrefix)
                        .toList())
                .isNotEqualTo(plan(42, "r", 200).stream()
                        .map(WorkloadPlanTest::withoutPrefix)
                        .toList());
    }

    @Test
    void sharesAndQuantitiesComeOutAsPlanned() {
        List<Intent> intents = plan(7, "r", 20_000);

        double duplicated =
                intents.stream().filter(i -> i.duplicate() != Duplicate.NONE).count() / 20_000.0;
        double impatient = intents.stream().filter(Intent::impatient).count() / 20_000.0;
        double ones = intents.stream().filter(i -> i.quantity() == 1).count() / 20_000.0;

        assertThat(duplicated).isBetween(0.18, 0.22);
        assertThat(impatient).isBetween(0.08, 0.12);
        assertThat(ones).isBetween(0.67, 0.73);
        assertThat(intents).extracting(Intent::sku).containsAll(SKUS);
        assertThat(intents).allMatch(i -> i.quantity() >= 1 && i.quantity() <= 3);
        assertThat(intents).allMatch(i -> i.duplicateDelayMs() >= 200 && i.duplicateDelayMs() < 3000);
        assertThat(intents.get(12).orderId()).isEqualTo("r-0000012");
    }
}
