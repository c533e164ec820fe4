package io.valerix.harness.backup;

import io.valerix.core.backup.RestorePoint;
import io.valerix.core.backup.RestoreResult;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
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
      "Rebuilds the order and inventory databases from the archive: the newest base backup before",
      "TIME plus every archived change up to TIME. Builds in a temporary directory and moves it",
      "into place only if everything restored; a missing or corrupt file stops it with its name.",
      "The result is a data directory: run it with 'valerix up --data-dir DIR'."
    })
public final class RestoreCommand implements Callable<Integer> {

  @Option(names = "--to", required = true, paramLabel = "TIME",
      description = "'latest', or an ISO-8601 instant such as 2025-06-01T12:00:00Z: every change committed at or before it.")
  String to;

  @Option(names = "--into", required = true, paramLabel = "DIR", description = "The directory to create; it must not exist or be empty.")
  Path into;

  @Option(names = "--data-dir", paramLabel = "DIR", description = "The services' data directory, for the default archive (default: ${DEFAULT-VALUE}).")
  Path dataDir = Path.of("valerix-data");

  @Mixin ArchiveOptions archive = new ArchiveOptions();

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
    ArchiveLocation location;
    try {
      location = archive.location(dataDir);
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
    }
    List<String> chosen = databases.isEmpty() ? ServiceArchiving.DATABASES : databases;
    RestoreResult result;
    try (ArchiveLocation.Opened opened = location.open()) {
      result = ServiceArchiving.restore(opened.store(), chosen).to(point).into(into).build().run();
    }

    PrintWriter out = spec.commandLine().getOut();
    out.printf("Restored to %s into %s:%n", point, result.directory());
    for (RestoreResult.DatabaseRestore db : result.databases()) {
      out.printf("  %-10s base %s (row %d) + %d changes = journal row %d, committed %s%s%n",
          db.database(), db.baseBackup().name(), db.baseBackup().coversSeq(), db.changesApplied(), db.restoredSeq(), db.restoredAt(),
          db.archiveEndsAt() > db.restoredSeq() ? "" : " (the last archived change)");
    }
    out.printf("Run it with: valerix up --data-dir %s (it archives into %s, a new archive; take a base backup there first).%n",
        result.directory(), ServiceArchiving.defaultArchive(result.directory()));
    out.flush();
    return 0;
  }
}
