package io.valerix.harness.cli;

import io.valerix.core.backup.NoBaseBackupException;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code valerix} command: the entry point of the jar, with every subcommand and the error
 * handling they share. Its exit codes are {@link ExitCodes}.
 */
@Command(
        name = "valerix",
        mixinStandardHelpOptions = true,
        versionProvider = ValerixCli.Version.class,
        description = "Resilient order processing: run the order and inventory services, with chaos.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:Success, or a PASS verdict.",
            "1:A FAIL verdict, or a backup refused by the day's quota.",
            "2:A usage error or a failure to run, among them a missing or corrupt archive.",
            "3:A restore found no base backup old enough for the time asked."
        },
        subcommands = {
            ChaosCommand.class,
            ReportCommand.class,
            UpCommand.class,
            ProxyCommand.class,
            BenchCommand.class,
            BackupCommand.class,
            RestoreCommand.class,
            CommandLine.HelpCommand.class
        })
public final class ValerixCli implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    public static void main(String[] args) {
        System.exit(execute(args));
    }

    /** Runs the CLI and returns its exit code; used by tests too. */
    public static int execute(String... args) {
        CommandLine cli = commandLine();
        return cli.execute(args);
    }

    static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new ValerixCli());
        cli.setExecutionExceptionHandler((exception, commandLine, parseResult) -> {
            PrintWriter err = commandLine.getErr();
            err.println("valerix: " + message(exception));
            return exception instanceof NoBaseBackupException ? ExitCodes.NO_BASE_BACKUP : ExitCodes.ERROR;
        });
        cli.setParameterExceptionHandler((exception, args) -> {
            PrintWriter err = exception.getCommandLine().getErr();
            err.println("valerix: " + exception.getMessage());
            exception.getCommandLine().usage(err);
            return ExitCodes.ERROR;
        });
        return cli;
    }

    private static String message(Throwable exception) {
        String message = exception.getMessage();
        Throwable cause = exception.getCause();
        while (cause != null
                && cause.getMessage() != null
                && !cause.getMessage().equals(message)) {
            message = message + ": " + cause.getMessage();
            cause = cause.getCause();
        }
        return message == null ? exception.toString() : message;
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String version = ValerixCli.class.getPackage().getImplementationVersion();
            return new String[] {
                "valerix " + (version == null ? "development build" : version) + " on Java " + Runtime.version()
            };
        }
    }
}
