package io.valerix.harness.fleet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.valerix.core.gremlin.GremlinSpec;
import io.valerix.core.health.HealthConfig;
import io.valerix.core.http.BearerTokenFilter;
import io.valerix.harness.services.ServicePair;
import io.valerix.harness.services.Storage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The fleet's promises that need no full chaos run: it refuses what cannot work, and leaves no process behind when a start fails. */
class ServiceFleetTest {

    @TempDir
    Path dir;

    private ServiceFleet.Settings settings(int orderInstances, Storage storage) {
        return new ServiceFleet.Settings(
                orderInstances,
                services(BearerTokenFilter.randomToken(), BearerTokenFilter.randomToken(), storage),
                dir.resolve("services.log"));
    }

    private ServicePair.Settings services(String adminToken, String serviceToken, Storage storage) {
        return new ServicePair.Settings(
                0,
                0,
                GremlinSpec.none(),
                1,
                Duration.ofSeconds(1),
                Map.of("widget", 10),
                adminToken,
                serviceToken,
                dir.resolve("data"),
                HealthConfig.defaults(),
                0,
                storage);
    }

    @Test
    void aFleetRefusesWhatAPairRefusesForItIsGivenAPairsSettings() {
        String token = BearerTokenFilter.randomToken();
        assertThatThrownBy(() ->
                        new ServiceFleet.Settings(1, services(token, token, Storage.h2()), dir.resolve("services.log")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("must differ from the admin token");
    }

    @Test
    void severalOrderInstancesNeedPostgres() {
        assertThatThrownBy(() -> settings(2, Storage.h2()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("takes PostgreSQL")
                .hasMessageContaining("2 instances");
    }

    @Test
    void aServiceThatCannotStartFailsTheStartAndLeavesNoProcessBehind() throws Exception {
        // Where inventory's H2 database directory belongs, a file: the child cannot open its database.
        Files.createDirectories(dir.resolve("data"));
        Files.writeString(dir.resolve("data").resolve("inventory"), "not a directory");

        assertThatThrownBy(() -> ServiceFleet.start(settings(1, Storage.h2())))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("inventory ended before it served");

        assertThat(ProcessHandle.current()
                        .descendants()
                        .filter(p -> p.info().commandLine().orElse("").contains(ServiceChild.class.getName()))
                        .toList())
                .as("service processes left running")
                .isEmpty();
        assertThat(Files.readString(dir.resolve("services.log")))
                .as("the child's own words are kept")
                .isNotBlank();
    }
}
