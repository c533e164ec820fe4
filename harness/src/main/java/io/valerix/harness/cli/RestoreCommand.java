package io.valerix.harness.cli;

import io.valerix.core.backup.ArchiveDamagedException;
import io.valerix.core.backup.ArchiveStore;
import io.valerix.core.backup.DailyBackup;
import io.valerix.core.backup.RestorePoint;
import io.valerix.core.backup.RestoreResult;
import io.valerix.harness.services.ArchiveLocation;
import io.valerix.harness.services.ServiceArchiving;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.InstantSource;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code valerix restore}: the databases as they were at a point in time, from the archive. */
@Command(
        name = "restore",
        mixinStandardHelpOptions = true,
        description = {
            "Rebuilds the databases as they were at TIME, from the archive.",
            "Each database starts from its newest base backup before TIME, and every archived change up to TIME is applied.",
            "Builds in a temporary directory and moves it into place only if everything restored; a missing or corrupt file"
                    + " stops it with its name. The result is a data directory: run it with 'valerix up --data-dir DIR'. Its archive,"
                    + " DIR/archive, inherits today's backup claim from the archive restored from, so a backup there makes no second"
                    + " call the same day.",
            "On PostgreSQL the archive holds the cluster's own WAL and pg_basebackup bases, and PostgreSQL itself recovers to"
                    + " TIME (recovery_target_time) in a new data directory; the cluster restores whole."
        },
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:Restored.",
            "2:The archive is missing or corrupt (the file is named; nothing is created), or a usage error or failure.",
            "3:No base backup is old enough for TIME: the archive does not reach back that far (nothing is created)."
        })
final class RestoreCommand implements Callable<Integer> {

    @Option(
            names = "--to",
            required = true,
            paramLabel = "TIME",
            description = {
                "'latest', or an ISO-8601 instant: every change committed at or before it.",
                "Example: 2025-06-01T12:00:00Z."
            })
    String to;

    @Option(
            names = "--into",
            required = true,
            paramLabel = "DIR",
            description = "The directory to create; it must not exist or be empty.")
    Path into;

    @Option(
            names = "--data-dir",
            paramLabel = "DIR",
            description = "The services' data directory, for the default archive (default: ${DEFAULT-VALUE}).")
    Path dataDir = Path.of("valerix-data");

    @Mixin
    ArchiveOptions archive = new ArchiveOptions();

    @Option(
            names = "--database",
            paramLabel = "NAME",
            description = "Restore only this database: orders or inventory; repeatable (default: both).")
    List<String> databases = new ArrayList<>();

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** Whose UTC date is "today" for the backup claim. */
    private final InstantSource clock = InstantSource.system();

    @Override
    public Integer call() {
        RestorePoint point;
        try {
            point = RestorePoint.parse(to);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--to: " + e.getMessage());
        }
        for (String database : databases) {
            if (!ServiceArchiving.DATABASES.contains(database)) {
                throw new CommandLine.ParameterException(
                        spec.commandLine(),
                        "--database must be one of " + ServiceArchiving.DATABASES + ", but was '" + database + "'");
            }
        }
        ArchiveLocation location;
        try {
            location = archive.location(dataDir);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        if (!location.isBucket() && !Files.isDirectory(location.directory())) {
            // Exit 2 like any missing archive, but saying where the path came from and what to pass.
            Path archiveDir = location.directory();
            throw new ArchiveDamagedException(
                    archiveDir.toString(),
                    "there is no archive at " + archiveDir.toAbsolutePath() + " ("
                            + (archive.archive != null ? "--archive" : "<data-dir>/archive of --data-dir " + dataDir)
                            + "). Pass --data-dir with the"
                            + " services' data directory, or --archive with their archive directory.");
        }
        List<String> archived;
        RestoreResult result;
        ArchiveStore restoredArchive;
        Optional<DailyBackup.Claim> inherited;
        String sourceLocation;
        try (ArchiveLocation.Opened opened = location.open()) {
            ArchiveStore source = opened.store();
            sourceLocation = source.location();
            archived = ServiceArchiving.archivedDatabases(source);
            if (archived.contains(ServiceArchiving.CLUSTER) && !databases.isEmpty()) {
                throw new CommandLine.ParameterException(
                        spec.commandLine(),
                        "--database: this archive holds a PostgreSQL cluster, which restores whole (both databases); leave --database out");
            }
            List<String> chosen = databases.isEmpty() ? archived : databases;
            result = ServiceArchiving.restore(source, chosen)
                    .to(point)
                    .into(into)
                    .build()
                    .run();
            // The backup service counts calls, not archives: without the day's claim, the restored
            // services' archive would make a second call today.
            restoredArchive = ArchiveStore.directory(ServiceArchiving.defaultArchive(result.directory()));
            inherited = DailyBackup.inheritTodaysClaim(source, restoredArchive, clock);
        }

        PrintWriter out = spec.commandLine().getOut();
        out.printf("Restored to %s into %s:%n", point, result.directory());
        for (RestoreResult.DatabaseRestore db : result.databases()) {
            boolean cluster = ServiceArchiving.CLUSTER.equals(db.database());
            out.printf(
                    "  %-10s base %s (%s) + %d %s = %s, committed %s%s%n",
                    db.database(),
                    db.baseBackup().name(),
                    ServiceArchiving.describePosition(
                            db.database(), db.baseBackup().coversSeq()),
                    db.changesApplied(),
                    cluster ? "WAL chunks, recovered by PostgreSQL" : "changes",
                    ServiceArchiving.describePosition(db.database(), db.restoredSeq()),
                    db.restoredAt(),
                    db.archiveEndsAt() > db.restoredSeq() ? "" : " (the last archived change)");
        }
        out.printf(
                "Run it with: valerix up %s--data-dir %s (it archives into %s, a new archive, and takes a local base backup"
                        + " there when it starts).%n",
                archived.contains(ServiceArchiving.CLUSTER) ? "--db postgres " : "",
                result.directory(),
                restoredArchive.location());
        LocalDate today = LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
        if (inherited.isPresent()) {
            out.printf(
                    "Today's backup call (%s, UTC) was already made from %s; the new archive inherits that claim, so"
                            + " 'valerix backup' there is refused without a call until %sT00:00:00Z.%n",
                    today, sourceLocation, today.plusDays(1));
        } else {
            out.printf(
                    "Today's backup call (%s, UTC) has not been made from %s. Either archive may make it, and the backup"
                            + " service allows one: run 'valerix backup' today against only one of them.%n",
                    today, sourceLocation);
        }
        out.flush();
        return ExitCodes.SUCCESS;
    }
}
