package io.valerix.harness.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.valerix.harness.services.Storage;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The database options shared by {@code up} and {@code chaos}, read into a {@link Storage}. */
class ServiceOptionsTest {

    @Test
    void theOptionsRefuseAnUnknownEngineAndOneUrlWithoutTheOther() {
        ServiceOptions unknown = new ServiceOptions();
        unknown.db = "mysql";
        assertThatThrownBy(() -> unknown.storage(Map.of()))
                .hasMessageContaining("--db must be h2 or postgres, but was 'mysql'");

        ServiceOptions half = new ServiceOptions();
        half.orderDbUrl = "jdbc:postgresql://127.0.0.1:5432/orders";
        assertThatThrownBy(() -> half.storage(Map.of())).hasMessageContaining("go together");

        ServiceOptions h2WithUrls = new ServiceOptions();
        h2WithUrls.db = "h2";
        h2WithUrls.orderDbUrl = "jdbc:postgresql://127.0.0.1:5432/orders";
        h2WithUrls.inventoryDbUrl = "jdbc:postgresql://127.0.0.1:5432/inventory";
        assertThatThrownBy(() -> h2WithUrls.storage(Map.of())).hasMessageContaining("cannot go with --db h2");

        ServiceOptions notPostgres = new ServiceOptions();
        notPostgres.orderDbUrl = "jdbc:h2:mem:x";
        notPostgres.inventoryDbUrl = "jdbc:postgresql://127.0.0.1:5432/inventory";
        assertThatThrownBy(() -> notPostgres.storage(Map.of()))
                .hasMessageContaining("must start with jdbc:postgresql://");

        assertThat(new ServiceOptions().storage(Map.of()).engine()).isEqualTo(Storage.Engine.H2);
    }
}
