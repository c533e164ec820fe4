package io.valerix.harness.cli;

import io.valerix.core.backup.ArchiveStore;
import io.valerix.core.backup.DatabaseDigest;
import io.valerix.harness.backup.ArchiveVerification;
import io.valerix.harness.backup.ServiceAdminClient;
import io.valerix.harness.services.ArchiveLocation;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code valerix backup verify}: restore to a scratch place and compare with the live databases. */
@Command(
        name = "verify",
        mixinStandardHelpOptions = true,
        description = {
            "Proves the archive restores to what the running services hold.",
            "It reads each running service's tables (row counts and SHA-256, at one journal position,"
                    + " in one snapshot), has it archive up to there, restores the archive to exactly that position in a scratch"
                    + " directory, and compares.",
            "On PostgreSQL the position is a WAL position and PostgreSQL itself recovers the cluster to it; the tables are"
                    + " briefly held against writers while the digest is read."
        },
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:PASS: every table matches.",
            "1:FAIL: the tables named do not match.",
            "2:The archive is missing or corrupt (the file is named), or a usage error or failure.",
            "3:No base backup is old enough for the services' journal position."
        })
final class BackupVerifyCommand implements Callable<Integer> {

    @Mixin
    BackupOptions options;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        List<ServiceAdminClient> services = options.services();
        try (ArchiveLocation.Opened opened = options.archiveOfServices(services).open()) {
            return verify(opened.store(), out, services);
        }
    }

    private int verify(ArchiveStore archive, PrintWriter out, List<ServiceAdminClient> services) throws IOException {
        boolean pass = true;
        for (ServiceAdminClient service : services) {
            List<DatabaseDigest> live = service.digests();
            // Sealed after the digest was read, so the archive holds at least the digest's position.
            service.seal();
            for (DatabaseDigest digest : live) {
                List<String> differences = ArchiveVerification.differences(archive, digest);
                if (differences.isEmpty()) {
                    out.printf(
                            "  %-10s %s: %d tables match%n",
                            digest.database(),
                            ArchiveVerification.position(archive, digest),
                            digest.tables().size());
                } else {
                    pass = false;
                    out.printf(
                            "  %-10s %s: DIFFERENT%n",
                            digest.database(), ArchiveVerification.position(archive, digest));
                    differences.forEach(line -> out.printf("               %s%n", line));
                }
            }
        }
        out.println(
                pass
                        ? "PASS: the archive restores to what the services hold."
                        : "FAIL: the archive does not restore to what the services hold.");
        out.flush();
        return pass ? ExitCodes.SUCCESS : ExitCodes.FAILED_VERDICT;
    }
}
