package io.valerix.harness.backup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.assertj.core.api.Assumptions.assumeThat;
import static org.awaitility.Awaitility.await;

import com.zaxxer.hikari.HikariDataSource;
import io.valerix.core.backup.ArchiveManifest;
import io.valerix.core.backup.ArchiveStore;
import io.valerix.core.backup.JournalArchiver;
import io.valerix.core.jdbc.H2Database;
import io.valerix.core.jdbc.PostgresCluster;
import io.valerix.core.testing.ChildJvm;
import io.valerix.core.testing.TestPostgres;
import io.valerix.harness.cli.ExitCodes;
import io.valerix.harness.services.ServiceArchiving;
import io.valerix.inventory.InventoryConfig;
import io.valerix.inventory.InventoryService;
import io.valerix.inventory.ReservationStatus;
import io.valerix.inventory.StockLevel;
import io.valerix.order.Order;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The acceptance run: both services take orders continuously in a child JVM; a base
 * backup is taken (and shipped, the day's one call) mid-stream; orders go on; the child is killed
 * with {@code kill -9}. Then: the latest restore holds every order acknowledged before its
 * database's last shipped change and the stock adds up; a restore to a time between holds exactly
 * what was committed by then; a second backup call that day is refused by the guard, and the
 * stand-in backup service saw one call.
 */
@Tag("slow")
class BackupAcceptanceTest {

    private static final String TOKEN = "acceptance-token-0123456789";

    @TempDir
    Path dir;

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void ordersSurviveKillMinusNineThroughBaseBackupPlusArchivedJournal() throws Exception {
        ordersSurviveKillMinusNine(false);
    }

    /**
     * The same run on PostgreSQL: no journal; the cluster's own WAL streamed by pg_receivewal, a
     * pg_basebackup base in the day's call, and PostgreSQL's point-in-time recovery.
     */
    @Test
    @Timeout(value = 180, unit = TimeUnit.SECONDS)
    void ordersSurviveKillMinusNineOnPostgresThroughPgBaseBackupPlusArchivedWal() throws Exception {
        TestPostgres.requireBinaries();
        TestPostgres.letTheServerReach(dir);
        ordersSurviveKillMinusNine(true);
    }

    private void ordersSurviveKillMinusNine(boolean postgres) throws Exception {
        Path data = dir.resolve("data");
        Path archiveDir = ServiceArchiving.defaultArchive(data);
        LocalDate day = LocalDate.now(ZoneOffset.UTC);
        try (BackupServiceStandIn standIn = BackupServiceStandIn.start(0, java.time.InstantSource.system(), null)) {
            ChildJvm child = startChild(data, postgres);
            OrderLoad load = null;
            Instant killedAt;
            Instant chosenTime;
            try {
                String[] uris =
                        child.awaitLine("READY ", Duration.ofSeconds(60)).split(" ");
                URI order = URI.create(uris[1]);
                URI inventory = URI.create(uris[2]);

                // Given services that took a local base backup at start (restorable from the first minute, no call)
                List<String> archivedNames = postgres ? List.of(ServiceArchiving.CLUSTER) : ServiceArchiving.DATABASES;
                for (String name : archivedNames) {
                    assertThat(ArchiveManifest.read(ArchiveStore.directory(archiveDir), name))
                            .as("the start-up base backup of %s", name)
                            .hasValueSatisfying(manifest ->
                                    assertThat(manifest.baseBackups()).hasSize(1));
                }

                // and orders flowing continuously
                OrderLoad orders = new OrderLoad(order, "acc", 4);
                load = orders;
                await().atMost(Duration.ofSeconds(30)).until(() -> orders.acks().size() >= 60);

                // When the day's backup is taken and shipped mid-stream
                assertThat(cli(
                                "backup",
                                "--archive",
                                archiveDir.toString(),
                                "--order",
                                order.toString(),
                                "--inventory",
                                inventory.toString(),
                                "--admin-token",
                                TOKEN,
                                "--service",
                                standIn.endpoint().toString()))
                        .isZero();
                int ackedAtBackup = orders.acks().size();
                if (postgres) {
                    // verify as on H2: digests at a WAL position, PostgreSQL recovers the archive to exactly it
                    CliRun verify = cliRun(
                            "backup",
                            "verify",
                            "--archive",
                            archiveDir.toString(),
                            "--order",
                            order.toString(),
                            "--inventory",
                            inventory.toString(),
                            "--admin-token",
                            TOKEN);
                    assertThat(verify.exit())
                            .as("%s%s", verify.out(), verify.err())
                            .isZero();
                    assertThat(verify.out()).contains("PASS").contains("WAL position");
                }

                // and orders go on, past a chosen point in time, and a second backup call is attempted
                await().atMost(Duration.ofSeconds(30)).until(() -> orders.acks().size() >= ackedAtBackup + 60);
                chosenTime = Instant.now();
                await().atMost(Duration.ofSeconds(30)).until(() -> orders.acks().size() >= ackedAtBackup + 120);
                // and the archive holds every change up to the chosen time: a restore can only bring back
                // what was archived before the kill, and on a quick machine the kill may otherwise come
                // within the recovery point (a few hundred ms) of the chosen time
                Instant chosen = chosenTime;
                ArchiveStore archiveNow = ArchiveStore.directory(archiveDir);
                await().atMost(Duration.ofSeconds(30))
                        .until(() -> archivedNames.stream()
                                .allMatch(name -> ArchiveManifest.read(archiveNow, name)
                                        .flatMap(ArchiveManifest::lastAt)
                                        .filter(at -> at.isAfter(chosen))
                                        .isPresent()));

                // and the archive is pruned to the day's base backups: the start-up ones go (on PostgreSQL
                // both services serve the cluster's archive, which is pruned once); the restores below read
                // the pruned archive
                CliRun prune = cliRun(
                        "backup",
                        "prune",
                        "--keep-days",
                        "0",
                        "--archive",
                        archiveDir.toString(),
                        "--order",
                        order.toString(),
                        "--inventory",
                        inventory.toString(),
                        "--admin-token",
                        TOKEN);
                assertThat(prune.exit()).as("%s%s", prune.out(), prune.err()).isZero();
                assertThat(prune.out().split("removed ", -1)).as(prune.out()).hasSize(archivedNames.size() + 1);
                for (String name : archivedNames) {
                    assertThat(prune.out()).containsPattern("(?m)^  " + name + " +removed 1 base backups");
                    assertThat(ArchiveManifest.read(ArchiveStore.directory(archiveDir), name)
                                    .orElseThrow()
                                    .baseBackups())
                            .hasSize(1);
                }
                CliRun second = cliRun(
                        "backup",
                        "--archive",
                        archiveDir.toString(),
                        "--order",
                        order.toString(),
                        "--inventory",
                        inventory.toString(),
                        "--admin-token",
                        TOKEN,
                        "--service",
                        standIn.endpoint().toString());
                assumeThat(LocalDate.now(ZoneOffset.UTC))
                        .as("the run crossed midnight UTC")
                        .isEqualTo(day);
                assertThat(second.exit()).isEqualTo(ExitCodes.FAILED_VERDICT);
                assertThat(second.err())
                        .contains("refused")
                        .contains("already made")
                        .contains("No call was made");
                await().atMost(Duration.ofSeconds(30)).until(() -> orders.acks().size() >= ackedAtBackup + 180);

                // and the services are killed with kill -9, mid-stream
                killedAt = Instant.now();
                child.killMinusNine();
            } finally {
                child.close();
                if (postgres) {
                    // kill -9 leaves the child's PostgreSQL server running (as a crash of the JVM would); stop it.
                    PostgresCluster.start(data.resolve(ServiceArchiving.CLUSTER))
                            .close();
                }
                if (load != null) {
                    load.close();
                }
            }
            List<OrderLoad.Ack> acks = load.acks();
            Map<String, Instant> sent = load.sent();

            // Then the stand-in saw exactly one call: the guard stopped the second before it was made
            assertThat(standIn.calls()).isEqualTo(1);
            assertThat(standIn.accepted()).hasSize(1);

            // and the latest restore holds every acknowledged order its database had archived
            ArchiveStore archive = ArchiveStore.directory(archiveDir);
            Instant ordersArchivedAt =
                    archivedAt(archive, postgres ? ServiceArchiving.CLUSTER : ServiceArchiving.ORDERS);
            Instant inventoryArchivedAt =
                    archivedAt(archive, postgres ? ServiceArchiving.CLUSTER : ServiceArchiving.INVENTORY);
            if (postgres) {
                assertThat(ArchiveManifest.read(archive, ServiceArchiving.ORDERS))
                        .as("no journal archive on PostgreSQL")
                        .isEmpty();
            }
            assertThat(cli(
                            "restore",
                            "--to",
                            "latest",
                            "--into",
                            dir.resolve("latest").toString(),
                            "--archive",
                            archiveDir.toString()))
                    .isZero();
            Restored latest = read(dir.resolve("latest"), postgres);
            int lost = 0;
            for (OrderLoad.Ack ack : acks) {
                Optional<Order> restored = Optional.ofNullable(latest.orders().get(ack.orderId()));
                if (!ack.ackedAt().isAfter(ordersArchivedAt)) {
                    assertThat(restored)
                            .as(
                                    "order %s acknowledged %s, archived up to %s",
                                    ack.orderId(), ack.ackedAt(), ordersArchivedAt)
                            .hasValueSatisfying(
                                    o -> assertThat(o.status().name()).isEqualTo(ack.status()));
                } else if (restored.isEmpty() || !restored.get().status().name().equals(ack.status())) {
                    lost++;
                }
                if (ack.status().equals("CONFIRMED") && !ack.ackedAt().isAfter(inventoryArchivedAt)) {
                    assertThat(latest.reservations().get(ack.orderId()))
                            .as("reservation of %s", ack.orderId())
                            .isEqualTo(ReservationStatus.RESERVED);
                }
            }
            // The recovery point: what was lost was acknowledged within the last seal interval (plus
            // the time a seal takes on a loaded machine) before the kill.
            Duration rpo = Duration.between(ordersArchivedAt, killedAt);
            assertThat(rpo)
                    .as("orders archived up to %s, killed at %s", ordersArchivedAt, killedAt)
                    .isLessThan(JournalArchiver.DEFAULT_SEAL_INTERVAL.plusSeconds(4));
            assertThat(Duration.between(inventoryArchivedAt, killedAt))
                    .isLessThan(JournalArchiver.DEFAULT_SEAL_INTERVAL.plusSeconds(4));
            assertThat(latest.stock()).hasSize(3).allSatisfy(level -> {
                assertThat(level.isConserved()).as("%s", level).isTrue();
                assertThat(level.available()).isNotNegative();
            });
            long lostOlderThanOneSecond = acks.stream()
                    .filter(ack -> !ack.ackedAt().isAfter(killedAt.minusSeconds(1)))
                    .filter(ack -> !latest.orders().containsKey(ack.orderId()))
                    .count();
            System.err.printf(
                    "acceptance (%s): %d orders acknowledged, %d acknowledged after the last archived change (lost),"
                            + " %d of them acknowledged 1 s or more before the kill, RPO %d ms%n",
                    postgres ? "postgres" : "h2", acks.size(), lost, lostOlderThanOneSecond, rpo.toMillis());

            // and a restore to the chosen time holds exactly the orders committed by then
            CliRun chosenRestore = cliRun(
                    "restore",
                    "--to",
                    chosenTime.toString(),
                    "--into",
                    dir.resolve("chosen").toString(),
                    "--archive",
                    archiveDir.toString());
            assertThat(chosenRestore.exit())
                    .as("%s%s", chosenRestore.out(), chosenRestore.err())
                    .isZero();
            Restored chosen = read(dir.resolve("chosen"), postgres);
            long before = 0;
            List<String> wrong = new java.util.ArrayList<>();
            for (OrderLoad.Ack ack : acks) {
                if (ack.ackedAt().isBefore(chosenTime)) {
                    before++;
                    Order restored = chosen.orders().get(ack.orderId());
                    if (restored == null || !restored.status().name().equals(ack.status())) {
                        wrong.add("order " + ack.orderId() + " sent " + ack.sentAt() + ", acknowledged " + ack.status()
                                + " " + ack.ackedAt() + ", restored "
                                + (restored == null
                                        ? "missing"
                                        : restored.status() + " (updated " + restored.updatedAt() + ")"));
                    }
                }
            }
            if (!wrong.isEmpty()) {
                fail("restored to " + chosenTime + ", acknowledged orders differ:\n  " + String.join("\n  ", wrong)
                        + "\n" + evidence(dir, postgres, chosenRestore, wrong));
            }
            List<String> sentAfter = sent.entrySet().stream()
                    .filter(e -> e.getValue().isAfter(chosenTime))
                    .map(Map.Entry::getKey)
                    .toList();
            assertThat(sentAfter)
                    .isNotEmpty()
                    .noneMatch(chosen.orders()::containsKey)
                    .noneMatch(chosen.reservations()::containsKey);
            assertThat(before).isGreaterThan(60);
            assertThat(chosen.stock())
                    .hasSize(3)
                    .allSatisfy(level ->
                            assertThat(level.isConserved()).as("%s", level).isTrue());
        }
    }

    /**
     * What a wrong restore to a time needs to be understood: the restore's own report, where
     * PostgreSQL's recovery stopped (its log), and the row versions of the first wrong order in both
     * restores (xmin/xmax: which transaction's commit the chosen one lacks).
     */
    private static String evidence(Path dir, boolean postgres, CliRun chosenRestore, List<String> wrong) {
        StringBuilder out =
                new StringBuilder("restore: ").append(chosenRestore.out()).append(chosenRestore.err());
        if (!postgres) {
            return out.toString();
        }
        try (var logs = Files.walk(dir.resolve("chosen"))) {
            for (Path log : logs.filter(f -> f.getFileName().toString().startsWith("recovery"))
                    .toList()) {
                List<String> lines = Files.readAllLines(log);
                out.append("\n")
                        .append(log.getFileName())
                        .append(":\n  ")
                        .append(String.join("\n  ", lines.subList(Math.max(0, lines.size() - 12), lines.size())));
            }
            String orderId = wrong.getFirst().split(" ")[1];
            for (String restore : List.of("chosen", "latest")) {
                try (PostgresCluster cluster =
                                PostgresCluster.start(dir.resolve(restore).resolve(ServiceArchiving.CLUSTER));
                        HikariDataSource db = cluster.dataSource(ServiceArchiving.ORDERS, 1);
                        var c = db.getConnection();
                        var read = c.prepareStatement(
                                "SELECT xmin::text, xmax::text, status, updated_at FROM orders WHERE order_id = ?")) {
                    read.setString(1, orderId);
                    try (var row = read.executeQuery()) {
                        out.append("\n").append(restore).append(": ").append(orderId);
                        while (row.next()) {
                            out.append(" xmin ")
                                    .append(row.getString(1))
                                    .append(" xmax ")
                                    .append(row.getString(2))
                                    .append(' ')
                                    .append(row.getString(3))
                                    .append(' ')
                                    .append(row.getString(4));
                        }
                    }
                }
            }
        } catch (Exception e) {
            out.append("\n(gathering evidence failed: ").append(e).append(')');
        }
        return out.toString();
    }

    record Restored(Map<String, Order> orders, Map<String, ReservationStatus> reservations, List<StockLevel> stock) {}

    private static Instant archivedAt(ArchiveStore archive, String name) {
        return ArchiveManifest.read(archive, name).orElseThrow().lastAt().orElseThrow();
    }

    private static Restored read(Path restored, boolean postgres) throws Exception {
        if (postgres) {
            try (PostgresCluster cluster = PostgresCluster.start(restored.resolve(ServiceArchiving.CLUSTER));
                    HikariDataSource ordersDb = cluster.dataSource(ServiceArchiving.ORDERS, 2);
                    HikariDataSource inventoryDb = cluster.dataSource(ServiceArchiving.INVENTORY, 2)) {
                assertThat(hasTable(ordersDb, "valerix_journal"))
                        .as("a journal table on PostgreSQL")
                        .isFalse();
                assertThat(hasTable(inventoryDb, "valerix_journal"))
                        .as("a journal table on PostgreSQL")
                        .isFalse();
                InventoryService inventory = InventoryService.create(
                        inventoryDb, InventoryConfig.builder().build());
                return new Restored(
                        OrdersTable.all(ordersDb), OrdersTable.reservations(inventoryDb), inventory.stockLevels());
            }
        }
        Map<String, Order> orders;
        try (HikariDataSource db =
                H2Database.open(restored.resolve(ServiceArchiving.ORDERS), ServiceArchiving.ORDERS, 2)) {
            orders = OrdersTable.all(db);
        }
        Map<String, ReservationStatus> reservations;
        List<StockLevel> stock;
        try (HikariDataSource db =
                H2Database.open(restored.resolve(ServiceArchiving.INVENTORY), ServiceArchiving.INVENTORY, 2)) {
            InventoryService inventory =
                    InventoryService.create(db, InventoryConfig.builder().build());
            stock = inventory.stockLevels();
            reservations = OrdersTable.reservations(db);
        }
        return new Restored(orders, reservations, stock);
    }

    private static boolean hasTable(HikariDataSource db, String table) throws Exception {
        try (var connection = db.getConnection();
                var statement = connection.createStatement();
                var row = statement.executeQuery("SELECT to_regclass('" + table + "') IS NOT NULL")) {
            row.next();
            return row.getBoolean(1);
        }
    }

    private ChildJvm startChild(Path data, boolean postgres) throws IOException {
        Files.createDirectories(dir);
        return ChildJvm.of(BackupServicesProcess.class)
                .heap("384m")
                .arguments(data.toString(), TOKEN, postgres ? "postgres" : "h2")
                .stderrTo(dir.resolve("child.stderr.log"))
                .start();
    }

    record CliRun(int exit, String out, String err) {}

    static CliRun cliRun(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = io.valerix.harness.cli.ValerixCliAccess.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        int exit = cli.execute(args);
        return new CliRun(exit, out.toString(), err.toString());
    }

    static int cli(String... args) {
        CliRun run = cliRun(args);
        if (run.exit() != 0) {
            System.err.println(
                    "valerix " + String.join(" ", args) + " exited " + run.exit() + ":\n" + run.out() + run.err());
        }
        return run.exit();
    }
}
