package io.valerix.harness.cli;

import io.valerix.core.backup.BackupAdmin;
import io.valerix.core.backup.BaseBackupInfo;
import io.valerix.core.backup.PrunedArchive;
import io.valerix.harness.backup.ServiceAdminClient;
import java.io.PrintWriter;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code valerix backup prune}: retention, through the running services (each is its manifests' only writer). */
@Command(
        name = "prune",
        mixinStandardHelpOptions = true,
        description = {
            "Removes old base backups and segments, keeping the last N days restorable.",
            "It removes the base backups and segments that no restore to an instant within the last N days needs, and never one"
                    + " that it does.",
            "Kept: every base backup of the last N days, the newest one before them (a restore to N days ago starts there), and"
                    + " every segment after the oldest kept base backup. An archive with no base backup is left alone. The running"
                    + " services prune (each is the only writer of its manifests), so archiving goes on meanwhile, and"
                    + " 'valerix backup verify' still passes afterwards."
        },
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:Pruned, or nothing to remove.",
            "2:A usage error or a failure, for example the services archive into another directory than this command."
        })
final class BackupPruneCommand implements Callable<Integer> {

    @Mixin
    BackupOptions options;

    @Option(
            names = "--keep-days",
            required = true,
            paramLabel = "N",
            description =
                    "Keep every instant of the last N days restorable; 0 keeps only the newest base backup and what follows it.")
    long keepDays;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        if (keepDays < 0 || keepDays > BackupAdmin.MAX_KEEP_DAYS) {
            throw new CommandLine.ParameterException(
                    spec.commandLine(),
                    "--keep-days must be 0.." + BackupAdmin.MAX_KEEP_DAYS + ", but was " + keepDays);
        }
        List<ServiceAdminClient> services = options.services();
        String archive = options.archiveOfServices(services).toString();
        PrintWriter out = spec.commandLine().getOut();
        out.printf("Pruning %s, keeping every instant of the last %d days restorable:%n", archive, keepDays);
        Set<String> covered = new HashSet<>();
        for (ServiceAdminClient service : services) {
            // On PostgreSQL both services archive the one cluster: it is pruned once.
            if (!covered.addAll(service.archivedNames())) {
                continue;
            }
            for (PrunedArchive pruned : service.prune(keepDays)) {
                if (pruned.oldestKept() == null) {
                    out.printf("  %-10s no base backup yet: nothing removed%n", pruned.database());
                    continue;
                }
                out.printf(
                        "  %-10s removed %d base backups and %d other files (%,d bytes); restores start from %s (%s) or later%n",
                        pruned.database(),
                        pruned.removedBaseBackups().size(),
                        pruned.removedFiles().size()
                                - pruned.removedBaseBackups().size(),
                        pruned.removedBytes(),
                        pruned.oldestKept().name(),
                        pruned.oldestKept().coversAt());
                for (BaseBackupInfo base : pruned.removedBaseBackups()) {
                    out.printf("               - %s%n", base.name());
                }
            }
        }
        out.flush();
        return ExitCodes.SUCCESS;
    }
}
