package io.valerix.harness.cli;

import java.util.Map;
import picocli.CommandLine;

/** Gives tests in other packages the CLI as {@link ValerixCli#execute} runs it, with its error handling. */
public final class ValerixCliAccess {

    private ValerixCliAccess() {}

    public static CommandLine commandLine() {
        return ValerixCli.commandLine();
    }

    /** The CLI, its {@code chaos} command reading PostgreSQL credentials from {@code environment} instead of the process's. */
    public static CommandLine withChaosEnvironment(Map<String, String> environment) {
        CommandLine cli = ValerixCli.commandLine();
        ChaosCommand chaos = cli.getSubcommands().get("chaos").getCommand();
        chaos.environment = environment;
        return cli;
    }
}
