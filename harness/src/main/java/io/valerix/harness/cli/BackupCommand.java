package io.valerix.harness.cli;

import io.valerix.core.backup.ArchiveStore;
import io.valerix.core.backup.BackupQuotaExceededException;
import io.valerix.core.backup.BackupReceipt;
import io.valerix.core.backup.BackupService;
import io.valerix.core.backup.BaseBackupInfo;
import io.valerix.core.backup.DailyBackup;
import io.valerix.harness.backup.ServiceAdminClient;
import io.valerix.harness.services.ArchiveLocation;
import io.valerix.harness.services.ServiceArchiving;
import java.io.PrintWriter;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code valerix backup}: the day's base backup, shipped in the day's one call if the quota allows. */
@Command(
        name = "backup",
        mixinStandardHelpOptions = true,
        description = {
            "Ships today's base backups to the backup service, in the day's one call.",
            "Takes a base backup of both running services' databases into the archive and ships them, with the manifests, to the"
                    + " backup service.",
            "A second attempt on the same UTC day is refused before anything is taken or called (exit 1). Continuous archiving"
                    + " runs inside the services all along, and each service takes a local base backup when it starts (no call), so a"
                    + " restore works before the first daily call. See docs/backup.md."
        },
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:The bundle was shipped.",
            "1:Refused: the day's call was already made (no call was made), or the backup service answered 429.",
            "2:A usage error or a failure, for example the services archive into another directory than this command."
        },
        subcommands = {BackupVerifyCommand.class, BackupPruneCommand.class, BackupStandInCommand.class})
final class BackupCommand implements Callable<Integer> {

    @Mixin
    BackupOptions options;

    @Option(
            names = "--service",
            paramLabel = "URL",
            description = {"The backup service's endpoint.", "Default: ${DEFAULT-VALUE}."})
    URI service = URI.create("http://127.0.0.1:8090/backups");

    @Option(
            names = "--service-timeout",
            paramLabel = "DURATION",
            converter = DurationConverter.class,
            description = "The most the call to the backup service may take (default: 10m).")
    Duration serviceTimeout = Duration.ofMinutes(10);

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        List<ServiceAdminClient> services = options.services();
        // Checked before the claim, so a wrong archive neither spends the day nor names a missing file.
        ArchiveLocation location = options.archiveOfServices(services);
        try (ArchiveLocation.Opened opened = location.open()) {
            return call(opened.store(), out, err, services);
        }
    }

    private int call(ArchiveStore archive, PrintWriter out, PrintWriter err, List<ServiceAdminClient> services) {
        DailyBackup daily = DailyBackup.builder(archive, BackupService.http(service, serviceTimeout))
                .build();
        BackupReceipt receipt;
        try {
            receipt = daily.run(() -> {
                List<BaseBackupInfo> bases = new ArrayList<>();
                Set<String> covered = new HashSet<>();
                for (ServiceAdminClient admin : services) {
                    // On PostgreSQL both services archive the one cluster: its base backup is taken once.
                    if (covered.addAll(admin.archivedNames())) {
                        bases.addAll(admin.takeBaseBackups());
                    }
                }
                return bases;
            });
        } catch (BackupQuotaExceededException refused) {
            err.println("valerix backup: refused: " + refused.getMessage());
            return ExitCodes.FAILED_VERDICT;
        }
        out.printf(
                "Backup of %s shipped to %s as %s (%,d bytes, sha256 %s).%n",
                receipt.day(), service, receipt.serviceId(), receipt.bundleBytes(), receipt.bundleSha256());
        for (BaseBackupInfo base : receipt.baseBackups()) {
            out.printf(
                    "  %-10s base backup %s covers %s (%s)%n",
                    base.database(),
                    base.name(),
                    ServiceArchiving.describePosition(base.database(), base.coversSeq()),
                    base.coversAt());
        }
        out.printf(
                "Archive: %s. The next call is allowed from %sT00:00:00Z.%n",
                archive.location(), receipt.day().plusDays(1));
        out.flush();
        return ExitCodes.SUCCESS;
    }
}
