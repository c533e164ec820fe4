package io.valerix.inventory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class InventoryConfigTest {

    @Test
    void stockPairsAndSingleEntriesCombineOrderedBySku() {
        InventoryConfig config = InventoryConfig.builder()
                .stock(" widget=100, gadget=5 ,")
                .stock("zero", 0)
                .build();

        assertThat(config.initialStock())
                .containsExactly(Map.entry("gadget", 5), Map.entry("widget", 100), Map.entry("zero", 0));
        assertThat(config.maxQuantity()).isEqualTo(InventoryConfig.DEFAULT_MAX_QUANTITY);
    }

    @Test
    void toBuilderMakesAnEqualVariant() {
        InventoryConfig config =
                InventoryConfig.builder().stock("a=1").maxQuantity(5).build();

        InventoryConfig copy = config.toBuilder().build();

        assertThat(copy.initialStock()).isEqualTo(config.initialStock());
        assertThat(copy.maxQuantity()).isEqualTo(5);
    }

    @Test
    void badSettingsAreRefusedNamingTheFieldAndTheValue() {
        assertThatThrownBy(() -> InventoryConfig.builder().maxQuantity(0).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("maxQuantity must be at least 1, but was 0");
        assertThatThrownBy(() -> InventoryConfig.builder().stock("widget", -3).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("stock quantity of 'widget' must be at least 0, but was -3");
        assertThatThrownBy(() -> InventoryConfig.builder().stock("wid get", 3).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("stock sku must be 1..64 characters of [A-Za-z0-9._-], but was 'wid get'");
        assertThatThrownBy(() -> InventoryConfig.builder().stock("a=1,a=2").build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("stock sku 'a' is given twice, with 1 and 2");
    }

    @Test
    void malformedStockPairsAreRefusedAtOnce() {
        assertThatThrownBy(() -> InventoryConfig.builder().stock("widget"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("stock must be sku=qty pairs separated by ',', but had 'widget'");
        assertThatThrownBy(() -> InventoryConfig.builder().stock("widget=ten"))
                .hasMessage("stock must be sku=qty pairs separated by ',', but had 'widget=ten'");
        assertThatThrownBy(() -> InventoryConfig.builder().stock("widget=9999999999"))
                .hasMessage("stock quantity of 'widget' must be at most 2147483647, but was 9999999999");
    }
}
