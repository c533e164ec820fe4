package io.valerix.inventory;

import static org.assertj.core.api.Assertions.assertThat;

import io.valerix.core.http.ProblemType;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class InventoryProblemsTest {

    @Test
    void everyProblemInventoryDefinesIsOneAfterWhichNothingChanged() throws IllegalAccessException {
        List<ProblemType> defined = new java.util.ArrayList<>();
        for (Field field : InventoryProblems.class.getDeclaredFields()) {
            if (Modifier.isStatic(field.getModifiers()) && field.getType() == ProblemType.class) {
                defined.add((ProblemType) field.get(null));
            }
        }

        // A new constant that a client does not know as a refusal would turn REJECTED orders into PENDING ones.
        assertThat(defined).hasSizeGreaterThanOrEqualTo(7);
        assertThat(InventoryProblems.NOTHING_CHANGED).containsAll(defined);
    }

    @Test
    void onlyClientErrorsCountAsNothingChanged() {
        assertThat(InventoryProblems.NOTHING_CHANGED)
                .allSatisfy(problem -> assertThat(problem.status()).isBetween(400, 499));
        assertThat(Arrays.asList(
                        ProblemType.OVERLOADED,
                        ProblemType.DEADLINE_EXCEEDED,
                        ProblemType.INTERNAL,
                        ProblemType.UNAUTHORIZED))
                .doesNotContainAnyElementsOf(InventoryProblems.NOTHING_CHANGED);
    }
}
