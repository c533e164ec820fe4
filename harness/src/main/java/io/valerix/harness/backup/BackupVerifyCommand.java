package io.valerix.harness.backup;

import com.zaxxer.hikari.HikariDataSource;
import io.valerix.core.backup.ArchiveManifest;
import io.valerix.core.backup.ArchiveStore;
import io.valerix.core.backup.BackupException;
import io.valerix.core.backup.DatabaseDigest;
import io.valerix.core.backup.RestorePoint;
import io.valerix.core.jdbc.H2Database;
import io.valerix.core.jdbc.PostgresCluster;
import io.valerix.harness.ValerixCli;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
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
public final class BackupVerifyCommand implements Callable<Integer> {

  @Mixin BackupOptions options;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

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
        List<String> differences = compare(archive, digest);
        if (differences.isEmpty()) {
          out.printf("  %-10s %s: %d tables match%n", digest.database(), position(archive, digest), digest.tables().size());
        } else {
          pass = false;
          out.printf("  %-10s %s: DIFFERENT%n", digest.database(), position(archive, digest));
          differences.forEach(line -> out.printf("               %s%n", line));
        }
      }
    }
    out.println(pass ? "PASS: the archive restores to what the services hold." : "FAIL: the archive does not restore to what the services hold.");
    out.flush();
    return pass ? 0 : ValerixCli.EXIT_FAILED_VERDICT;
  }

  private static String position(ArchiveStore archive, DatabaseDigest digest) {
    boolean cluster = ServiceArchiving.archivedDatabases(archive).contains(ServiceArchiving.CLUSTER);
    return ServiceArchiving.describePosition(cluster ? ServiceArchiving.CLUSTER : digest.database(), digest.seq());
  }

  private static List<String> compare(ArchiveStore archive, DatabaseDigest live) throws IOException {
    Path scratch = Files.createTempDirectory("valerix-verify-");
    try {
      Path into = scratch.resolve("restored");
      if (ArchiveManifest.read(archive, live.database()).isEmpty() && ArchiveManifest.read(archive, ServiceArchiving.CLUSTER).isPresent()) {
        return compareCluster(archive, live, scratch, into);
      }
      ServiceArchiving.restore(archive, List.of(live.database())).to(RestorePoint.seq(live.seq())).into(into).build().run();
      Path directory = into.resolve(live.database());
      String h2Name;
      try (Stream<Path> files = Files.list(directory)) {
        h2Name = files.map(file -> file.getFileName().toString()).filter(name -> name.endsWith(".mv.db"))
            .map(name -> name.substring(0, name.length() - ".mv.db".length())).findFirst()
            .orElseThrow(() -> new BackupException("the restore of '" + live.database() + "' holds no database file"));
      }
      try (HikariDataSource restored = H2Database.open(directory, h2Name, 1)) {
        return DatabaseDigest.of(live.database(), restored).differences(live);
      }
    } finally {
      try (Stream<Path> paths = Files.walk(scratch)) {
        paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
      }
    }
  }

  /**
   * A PostgreSQL cluster: PostgreSQL recovers the archive to exactly the digest's WAL position in
   * the scratch directory, a server is started on the copy, and its database is compared.
   */
  private static List<String> compareCluster(ArchiveStore archive, DatabaseDigest live, Path scratch, Path into) throws IOException {
    // The server runs as the postgres user when this is root; it must traverse the scratch directory.
    Files.setPosixFilePermissions(scratch, PosixFilePermissions.fromString("rwx--x--x"));
    ServiceArchiving.restore(archive, List.of(ServiceArchiving.CLUSTER)).to(RestorePoint.seq(live.seq())).into(into).build().run();
    try (PostgresCluster cluster = PostgresCluster.start(into.resolve(ServiceArchiving.CLUSTER));
        HikariDataSource restored = cluster.dataSource(live.database(), 1)) {
      return DatabaseDigest.of(live.database(), restored).differences(live);
    }
  }
}
