package io.valerix.harness.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.valerix.harness.services.ServicePair;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** Where {@code valerix up} and {@code valerix chaos} take their tokens from, in which order. */
class TokenSettingsTest {

    private static final String OPTION = "token-from-the-option-0123456789";
    private static final String ENV = "token-from-the-environment-0123";
    private static final String SERVICE = "service-token-from-env-0123456789";

    private static ServiceOptions parse(String... args) {
        ServiceOptions options = new ServiceOptions();
        new CommandLine(options).parseArgs(args);
        return options;
    }

    @Test
    void theOptionWinsOverTheEnvironment() {
        ServicePair.Settings settings = UpCommand.settings(
                parse("--admin-token", OPTION),
                Map.of(ServicePair.ADMIN_TOKEN_ENV, ENV, ServicePair.SERVICE_TOKEN_ENV, SERVICE));

        assertThat(settings.adminToken()).isEqualTo(OPTION);
        assertThat(settings.serviceToken()).isEqualTo(SERVICE);
    }

    @Test
    void theEnvironmentIsUsedWithoutTheOption() {
        ServicePair.Settings settings = UpCommand.settings(parse(), Map.of(ServicePair.ADMIN_TOKEN_ENV, ENV));

        assertThat(settings.adminToken()).isEqualTo(ENV);
    }

    @Test
    void withNeitherBothTokensAreRandomAndDifferent() {
        ServicePair.Settings first = UpCommand.settings(parse(), Map.of());
        ServicePair.Settings second = UpCommand.settings(parse(), Map.of());

        assertThat(first.adminToken())
                .hasSize(32)
                .isNotEqualTo(second.adminToken())
                .isNotEqualTo(first.serviceToken());
        assertThat(first.serviceToken()).hasSize(32).isNotEqualTo(second.serviceToken());
    }

    @Test
    void theServiceTokenMustDifferFromTheAdminToken() {
        assertThatThrownBy(() -> UpCommand.settings(
                        parse(), Map.of(ServicePair.ADMIN_TOKEN_ENV, ENV, ServicePair.SERVICE_TOKEN_ENV, ENV)))
                .isInstanceOf(CommandLine.ParameterException.class)
                .hasMessageContaining("must differ");
    }

    @Test
    void aTooShortTokenFromTheEnvironmentIsRefusedWithoutShowingIt() {
        assertThatThrownBy(() -> UpCommand.settings(parse(), Map.of(ServicePair.ADMIN_TOKEN_ENV, "short-secret")))
                .isInstanceOf(CommandLine.ParameterException.class)
                .hasMessageContaining("at least 16 characters")
                .hasMessageNotContaining("short-secret");
    }
}
