package io.valerix.harness.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.valerix.harness.chaos.ChaosSettings;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** Usage errors are exit 2 with a message that says what to do; bad settings name the setting and the value. */
class ChaosCommandTest {

    private static int run(StringWriter err, String... args) {
        CommandLine cli = new CommandLine(new ValerixCli());
        // The same handlers as ValerixCli.execute, with stderr captured.
        cli.setErr(new PrintWriter(err, true));
        cli.setOut(new PrintWriter(new StringWriter(), true));
        cli.setParameterExceptionHandler((e, a) -> {
            e.getCommandLine().getErr().println("valerix: " + e.getMessage());
            return ExitCodes.ERROR;
        });
        return cli.execute(args);
    }

    @Test
    void anOrderUrlWithoutAnInventoryUrlIsAUsageError() {
        StringWriter err = new StringWriter();

        assertThat(run(err, "chaos", "--order-url", "http://127.0.0.1:1")).isEqualTo(ExitCodes.ERROR);
        assertThat(err.toString()).contains("--order-url and --inventory-url go together");
    }

    @Test
    void urlsWithoutTheInventoryTokenAreAUsageError() {
        StringWriter err = new StringWriter();

        assertThat(run(err, "chaos", "--order-url", "http://127.0.0.1:1", "--inventory-url", "http://127.0.0.1:2"))
                .isEqualTo(ExitCodes.ERROR);
        assertThat(err.toString()).contains("--inventory-admin-token (or VALERIX_ADMIN_TOKEN) is needed");
    }

    @Test
    void localOptionsWithUrlsAreAUsageError() {
        StringWriter err = new StringWriter();

        assertThat(run(
                        err,
                        "chaos",
                        "--order-url",
                        "http://127.0.0.1:1",
                        "--inventory-url",
                        "http://127.0.0.1:2",
                        "--inventory-admin-token",
                        "0123456789abcdef0",
                        "--stock",
                        "widget=5"))
                .isEqualTo(ExitCodes.ERROR);
        assertThat(err.toString()).contains("--stock applies to services started here");
    }

    @Test
    void aBadGremlinOrShareIsAUsageError() {
        StringWriter err = new StringWriter();

        assertThat(run(err, "chaos", "--gremlin", "unifrom(0ms,5s)")).isEqualTo(ExitCodes.ERROR);
        assertThat(run(err, "chaos", "--duplicates", "lots")).isEqualTo(ExitCodes.ERROR);
        assertThat(run(err, "chaos", "--duration", "2s")).isEqualTo(ExitCodes.ERROR);
        assertThat(err.toString())
                .contains("unknown action 'unifrom'", "'lots' is not a share", "duration must be 4s..24h");
    }

    @Test
    void aBadKillIsAUsageErrorThatSaysWhatItExpects() {
        StringWriter err = new StringWriter();

        assertThat(run(err, "chaos", "--kill", "order:sometimes")).isEqualTo(ExitCodes.ERROR);
        assertThat(run(err, "chaos", "--kill", "order-3:at 5s", "--order-instances", "2", "--db", "postgres"))
                .isEqualTo(ExitCodes.ERROR);
        assertThat(run(err, "chaos", "--kill", "inventory:at 90s", "--duration", "60s"))
                .isEqualTo(ExitCodes.ERROR);
        assertThat(err.toString())
                .contains("--kill: a schedule is 'at 40s'", "there are 2 order instances", "never strikes");
    }

    @Test
    void severalOrderInstancesOnH2AreAUsageError() {
        StringWriter err = new StringWriter();

        assertThat(run(err, "chaos", "--order-instances", "2")).isEqualTo(ExitCodes.ERROR);
        assertThat(err.toString()).contains("takes PostgreSQL", "--db postgres");
    }

    @Test
    void processOptionsWithUrlsAreAUsageError() {
        StringWriter err = new StringWriter();

        assertThat(run(
                        err,
                        "chaos",
                        "--order-url",
                        "http://127.0.0.1:1",
                        "--inventory-url",
                        "http://127.0.0.1:2",
                        "--inventory-admin-token",
                        "0123456789abcdef0",
                        "--kill",
                        "order:at 5s"))
                .isEqualTo(ExitCodes.ERROR);
        assertThat(err.toString())
                .contains("--fork, --order-instances, --kill and --link apply to services started here");
    }

    @Test
    void linkWindowsThatCannotBePlayedAreAUsageError() {
        StringWriter unknown = new StringWriter();
        assertThat(run(unknown, "chaos", "--link", "flood 10s at 5s")).isEqualTo(ExitCodes.ERROR);
        assertThat(unknown.toString()).contains("--link: unknown link fault 'flood'");

        StringWriter overlapping = new StringWriter();
        assertThat(run(overlapping, "chaos", "--link", "blackhole 10s at 5s", "--link", "reset 2s at 8s"))
                .isEqualTo(ExitCodes.ERROR);
        assertThat(overlapping.toString()).contains("overlap");

        StringWriter late = new StringWriter();
        assertThat(run(late, "chaos", "--duration", "20s", "--link", "blackhole 5s at 30s"))
                .isEqualTo(ExitCodes.ERROR);
        assertThat(late.toString()).contains("never opens: sending lasts 20 s");
    }

    @Test
    void settingsNameTheBadValue() {
        assertThatThrownBy(() -> ChaosSettings.builder().rate(-3).build())
                .hasMessageContaining("rate")
                .hasMessageContaining("-3");
        assertThatThrownBy(() -> ChaosSettings.builder().duplicates(1.5).build())
                .hasMessageContaining("duplicates")
                .hasMessageContaining("1.5");
        assertThatThrownBy(() -> ChaosSettings.builder()
                        .settleTimeout(Duration.ofMillis(10))
                        .build())
                .hasMessageContaining("settleTimeout");
        assertThatThrownBy(() -> ChaosSettings.builder()
                        .rate(10_000)
                        .duration(Duration.ofHours(1))
                        .build())
                .hasMessageContaining("at most");
    }

    @Test
    void phasesSplitTheDurationIntoAQuarterHalfAndQuarter() {
        ChaosSettings settings = ChaosSettings.builder()
                .duration(Duration.ofSeconds(20))
                .rate(10)
                .build();

        assertThat(settings.chaosStart()).isEqualTo(Duration.ofSeconds(5));
        assertThat(settings.recoveryStart()).isEqualTo(Duration.ofSeconds(15));
        assertThat(settings.plannedIntents()).isEqualTo(200);
    }
}
