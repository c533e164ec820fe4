package io.valerix.harness.backup;

import io.valerix.core.backup.ArchiveStore;
import io.valerix.core.backup.RestorePoint;
import io.valerix.core.backup.RestoreResult;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code valerix restore}: the databases as they were at a point in time, from the archive. */
@Command(
    name = "restore",
    mixinStandardHelpOptions = true,
    description = {
      "Rebuilds the order and inventory databases from the archive: the newest base backup before",
      "TIME plus every archived change up to TIME. Builds in a temporary directory and moves it",
      "into place only if everything restored; a missing or corrupt file stops it with its name.",
      "The result is a data directory: run it with 'valerix up --data-dir DIR'. On PostgreSQL the",
      "archive holds the cluster's own WAL and pg_basebackup bases, and PostgreSQL itself recovers",
      "to TIME (recovery_target_time) in a new data directory; the cluster restores whole."
    })
public final class RestoreCommand implements Callable<Integer> {

  @Option(names = "--to", required = true, paramLabel = "TIME",
      description = "'latest', or an ISO-8601 instant such as 2025-06-01T12:00:00Z: every change committed at or before it.")
  String to;

  @Option(names = "--into", required = true, paramLabel = "DIR", description = "The directory to create; it must not exist or be empty.")
  Path into;

  @Option(names = "--data-dir", paramLabel = "DIR", description = "The services' data directory, for the default archive (default: ${DEFAULT-VALUE}).")
  Path dataDir = Path.of("valerix-data");

  @Option(names = "--archive", paramLabel = "DIR", description = "The archive directory (default: <data-dir>/archive).")
  Path archive;

  @Option(names = "--database", paramLabel = "NAME", description = "Restore only this database: orders or inventory; repeatable (default: both).")
  List<String> databases = new ArrayList<>();

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

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
        throw new CommandLine.ParameterException(spec.commandLine(),
            "--database must be one of " + ServiceArchiving.DATABASES + ", but was '" + database + "'");
      }
    }
    Path archiveDir = archive != null ? archive : ServiceArchiving.defaultArchive(dataDir);
    ArchiveStore store = ArchiveStore.directory(archiveDir);
    List<String> archived = ServiceArchiving.archivedDatabases(store);
    if (archived.contains(ServiceArchiving.CLUSTER) && !databases.isEmpty()) {
      throw new CommandLine.ParameterException(spec.commandLine(),
          "--database: this archive holds a PostgreSQL cluster, which restores whole (both databases); leave --database out");
    }
    List<String> chosen = databases.isEmpty() ? archived : databases;
    RestoreResult result = ServiceArchiving.restore(store, chosen).to(point).into(into).build().run();

    PrintWriter out = spec.commandLine().getOut();
    out.printf("Restored to %s into %s:%n", point, result.directory());
    for (RestoreResult.DatabaseRestore db : result.databases()) {
      boolean cluster = ServiceArchiving.CLUSTER.equals(db.database());
      out.printf("  %-10s base %s (%s) + %d %s = %s, committed %s%s%n",
          db.database(), db.baseBackup().name(), ServiceArchiving.describePosition(db.database(), db.baseBackup().coversSeq()),
          db.changesApplied(), cluster ? "WAL chunks, recovered by PostgreSQL" : "changes",
          ServiceArchiving.describePosition(db.database(), db.restoredSeq()), db.restoredAt(),
          db.archiveEndsAt() > db.restoredSeq() ? "" : " (the last archived change)");
    }
    out.printf("Run it with: valerix up %s--data-dir %s (it archives into %s, a new archive; take a base backup there first).%n",
        archived.contains(ServiceArchiving.CLUSTER) ? "--db postgres " : "", result.directory(),
        ServiceArchiving.defaultArchive(result.directory()));
    out.flush();
    return 0;
  }
}
