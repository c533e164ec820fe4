package io.valerix.core.backup;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import io.valerix.core.jdbc.PostgresCluster;
import io.valerix.core.testing.TestPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/**
 * Measures the recovery point of PostgreSQL WAL archiving (not a CI test; figures for
 * docs/backup.md). Four writers commit continuously; at 40 random instants the archive's
 * manifest is read as a crash would leave it, and the recovery point is that instant minus the
 * manifest's last proven time (everything committed before it is archived). Writes the figures to
 * {@code target/rpo-postgres.txt}.
 *
 * <pre>
 * ./mvnw -q -pl valerix-core verify -Dtest=WalArchiverRpoMeasurement -Dvalerix.measure=true -Dsurefire.failIfNoSpecifiedTests=false
 * </pre>
 */
@EnabledIfSystemProperty(named = "valerix.measure", matches = "true")
class WalArchiverRpoMeasurement {

    private static final int SAMPLES = 40;

    @TempDir
    Path dir;

    @Test
    void recoveryPointOfStreamedWalArchiving() throws Exception {
        TestPostgres.requireBinaries();
        TestPostgres.letTheServerReach(dir);
        try (PostgresCluster cluster = PostgresCluster.builder(dir.resolve("live"))
                .deleteOnClose(true)
                .maxConnections(20)
                .start()) {
            cluster.createDatabase("shop");
            ArchiveStore archive = ArchiveStore.directory(dir.resolve("archive"));
            try (HikariDataSource shop = cluster.dataSource("shop", 4);
                    WalArchiver archiver = WalArchiver.builder(archive, "postgres")
                            .cluster(cluster)
                            .spool(dir.resolve("spool"))
                            .build()
                            .start()) {
                try (Connection c = shop.getConnection();
                        Statement s = c.createStatement()) {
                    s.execute("CREATE TABLE events (id BIGSERIAL PRIMARY KEY, payload TEXT NOT NULL)");
                }
                AtomicBoolean running = new AtomicBoolean(true);
                AtomicLong commits = new AtomicLong();
                List<Thread> writers = new ArrayList<>();
                for (int w = 0; w < 4; w++) {
                    writers.add(Thread.ofPlatform().start(() -> {
                        while (running.get()) {
                            try (Connection c = shop.getConnection();
                                    PreparedStatement insert =
                                            c.prepareStatement("INSERT INTO events (payload) VALUES (?)")) {
                                insert.setString(1, "order placed " + commits.get());
                                insert.executeUpdate();
                                commits.incrementAndGet();
                            } catch (Exception e) {
                                throw new IllegalStateException(e);
                            }
                        }
                    }));
                }
                SplittableRandom random = new SplittableRandom(16);
                Instant started = Instant.now();
                // Sampling starts once the first chunk is archived (pg_receivewal has connected).
                org.awaitility.Awaitility.await()
                        .atMost(Duration.ofSeconds(60))
                        .until(() -> ArchiveManifest.read(archive, "postgres")
                                .flatMap(ArchiveManifest::lastAt)
                                .filter(at -> at.isAfter(started))
                                .isPresent());
                List<Long> rpoMillis = new ArrayList<>();
                for (int i = 0; i < SAMPLES; i++) {
                    Thread.sleep(random.nextLong(200, 1_700));
                    Instant crash = Instant.now();
                    Instant archived = ArchiveManifest.read(archive, "postgres")
                            .orElseThrow()
                            .lastAt()
                            .orElseThrow();
                    rpoMillis.add(Duration.between(archived, crash).toMillis());
                }
                running.set(false);
                for (Thread writer : writers) {
                    writer.join();
                }
                double seconds = Duration.between(started, Instant.now()).toMillis() / 1000.0;
                Collections.sort(rpoMillis);
                String figures = String.format(
                        Locale.ROOT,
                        "PostgreSQL WAL archiving (pg_receivewal, seal every %d ms), %d crash instants, %.0f commits/s by 4 writers,"
                                + " load average %.1f on %d cores:%n"
                                + "recovery point (crash instant - last proven archived time): min %d ms, median %d ms, p95 %d ms, max %d ms%n",
                        WalArchiver.DEFAULT_SEAL_INTERVAL.toMillis(),
                        SAMPLES,
                        commits.get() / seconds,
                        java.lang.management.ManagementFactory.getOperatingSystemMXBean()
                                .getSystemLoadAverage(),
                        Runtime.getRuntime().availableProcessors(),
                        rpoMillis.getFirst(),
                        rpoMillis.get(SAMPLES / 2),
                        rpoMillis.get((int) Math.ceil(SAMPLES * 0.95) - 1),
                        rpoMillis.getLast());
                System.out.print(figures);
                Files.writeString(Path.of("target", "rpo-postgres.txt"), figures);
                assertThat(rpoMillis.getLast()).isPositive();
            }
        }
    }
}
