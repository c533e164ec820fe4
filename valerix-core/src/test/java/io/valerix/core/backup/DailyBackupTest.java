package io.valerix.core.backup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.valerix.core.journal.ChangeJournal;
import io.valerix.core.testing.ManualWallClock;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DailyBackupTest {

    private static final Instant MORNING = Instant.parse("2025-06-01T08:00:00Z");

    @TempDir
    Path dir;

    private ArchiveStore archive;
    private ManualWallClock clock;
    private Widgets widgets;
    private JournalArchiver archiver;
    private RecordingService service;
    private final AtomicInteger baseBackupsTaken = new AtomicInteger();

    /** A backup service that records every call and keeps each bundle's entry names. */
    static final class RecordingService implements BackupService {
        final List<Bundle> calls = new CopyOnWriteArrayList<>();
        final List<List<String>> entries = new CopyOnWriteArrayList<>();
        volatile IOException failWith;

        @Override
        public String upload(Bundle bundle) throws IOException {
            calls.add(bundle);
            List<String> names = new ArrayList<>();
            try (ZipInputStream zip = new ZipInputStream(Files.newInputStream(bundle.file()))) {
                for (ZipEntry entry = zip.getNextEntry(); entry != null; entry = zip.getNextEntry()) {
                    names.add(entry.getName());
                }
            }
            entries.add(names);
            if (failWith != null) {
                throw failWith;
            }
            return "backup-" + calls.size();
        }

        @Override
        public String location() {
            return "recording";
        }
    }

    @BeforeEach
    void setUp() throws Exception {
        archive = ArchiveStore.directory(dir.resolve("archive"));
        clock = new ManualWallClock(MORNING);
        widgets = new Widgets(dir.resolve("live"), "widgets", ChangeJournal.on(clock), 2);
        archiver = JournalArchiver.builder(archive)
                .database("widgets", widgets.db)
                .clock(clock)
                .build();
        widgets.put("a", 1);
        archiver.sealNow();
        service = new RecordingService();
    }

    @AfterEach
    void tearDown() {
        archiver.close();
        widgets.close();
    }

    @Test
    void theFirstCallOfTheDayShipsBaseBackupsAndManifestsInOneBundle() {
        BackupReceipt receipt = daily().run(this::takeBases);

        assertThat(service.calls).hasSize(1);
        assertThat(receipt.day()).isEqualTo(LocalDate.parse("2025-06-01"));
        assertThat(receipt.serviceId()).isEqualTo("backup-1");
        assertThat(receipt.baseBackups())
                .singleElement()
                .satisfies(base -> assertThat(base.coversSeq()).isEqualTo(1));
        assertThat(service.entries.getFirst())
                .contains(
                        "bundle.json",
                        "widgets/manifest.json",
                        receipt.baseBackups().getFirst().name());
        assertThat(service.calls.getFirst().sha256()).isEqualTo(receipt.bundleSha256());
    }

    @Test
    void aSecondAttemptTheSameDayIsRefusedBeforeAnythingIsTakenOrCalled() {
        daily().run(this::takeBases);
        clock.advance(Duration.ofHours(15));

        assertThatThrownBy(() -> daily().run(this::takeBases))
                .isInstanceOfSatisfying(BackupQuotaExceededException.class, refused -> {
                    assertThat(refused.refusedBy()).isEqualTo(BackupQuotaExceededException.RefusedBy.GUARD);
                    assertThat(refused.day()).isEqualTo(LocalDate.parse("2025-06-01"));
                })
                .hasMessageContaining("already made")
                .hasMessageContaining("2025-06-02T00:00:00Z")
                .hasMessageContaining("No call was made");
        assertThat(service.calls).hasSize(1);
        assertThat(baseBackupsTaken).hasValue(1);
    }

    @Test
    void theGuardLivesInTheArchiveSoANewInstanceIsRefusedToo() {
        daily().run(this::takeBases);

        // A "restarted" service: a new DailyBackup, a new store object, the same directory
        DailyBackup restarted = DailyBackup.builder(ArchiveStore.directory(dir.resolve("archive")), service)
                .clock(clock)
                .build();
        assertThat(restarted.claimOfToday()).isPresent();
        assertThatThrownBy(() -> restarted.run(this::takeBases)).isInstanceOf(BackupQuotaExceededException.class);
        assertThat(service.calls).hasSize(1);
    }

    @Test
    void theNextUtcDayMayCallAgain() {
        clock.set(Instant.parse("2025-06-01T23:59:59Z"));
        daily().run(this::takeBases);
        clock.set(Instant.parse("2025-06-02T00:00:00Z"));

        BackupReceipt tomorrow = daily().run(this::takeBases);

        assertThat(tomorrow.day()).isEqualTo(LocalDate.parse("2025-06-02"));
        assertThat(service.calls)
                .extracting(BackupService.Bundle::day)
                .containsExactly(LocalDate.parse("2025-06-01"), LocalDate.parse("2025-06-02"));
    }

    @Test
    void aCallThatFailsInTransportStillSpendsTheDay() {
        service.failWith = new IOException("connection reset");

        assertThatThrownBy(() -> daily().run(this::takeBases))
                .isInstanceOf(BackupException.class)
                .hasMessageContaining("connection reset")
                .hasMessageContaining("stays spent");
        service.failWith = null;
        assertThatThrownBy(() -> daily().run(this::takeBases))
                .isInstanceOf(BackupQuotaExceededException.class)
                .hasMessageContaining("FAILED");
        assertThat(service.calls).hasSize(1);
    }

    @Test
    void instancesRacingForTheDayMakeOneCallBetweenThem() throws Exception {
        int instances = 6;
        ExecutorService pool = Executors.newFixedThreadPool(instances);
        CountDownLatch bundled = new CountDownLatch(instances);
        List<Future<String>> outcomes = new ArrayList<>();
        for (int i = 0; i < instances; i++) {
            DailyBackup instance = DailyBackup.builder(ArchiveStore.directory(dir.resolve("archive")), service)
                    .clock(clock)
                    .build();
            // Every instance gets past the first check before any claims: they race on the claim itself
            outcomes.add(pool.submit(() -> {
                try {
                    instance.run(() -> {
                        bundled.countDown();
                        awaitQuietly(bundled);
                        return List.of(fakeBase());
                    });
                    return "called";
                } catch (BackupQuotaExceededException refused) {
                    return "refused";
                }
            }));
        }
        List<String> results = new ArrayList<>();
        for (Future<String> outcome : outcomes) {
            results.add(outcome.get(30, TimeUnit.SECONDS));
        }
        pool.shutdown();

        assertThat(results).containsOnlyOnce("called");
        assertThat(results).filteredOn("refused"::equals).hasSize(instances - 1);
        assertThat(service.calls).hasSize(1);
    }

    @Test
    void aServiceThatSays429IsReportedAsTheServiceRefusing() {
        BackupService saysNo = new BackupService() {
            @Override
            public String upload(Bundle bundle) {
                throw new BackupQuotaExceededException(
                        bundle.day(), BackupQuotaExceededException.RefusedBy.SERVICE, "429 from the service");
            }

            @Override
            public String location() {
                return "says-no";
            }
        };
        assertThatThrownBy(() -> DailyBackup.builder(archive, saysNo)
                        .clock(clock)
                        .build()
                        .run(this::takeBases))
                .isInstanceOfSatisfying(
                        BackupQuotaExceededException.class,
                        refused -> assertThat(refused.refusedBy())
                                .isEqualTo(BackupQuotaExceededException.RefusedBy.SERVICE));
    }

    @Test
    void anArchiveThatInheritsTheDaysClaimMakesNoSecondCall() {
        // Given the day's call made from the archive
        daily().run(this::takeBases);
        ArchiveStore restored = ArchiveStore.directory(dir.resolve("restored-archive"));

        // When a restore's new archive inherits the claim, and a backup runs from it the same day
        assertThat(DailyBackup.inheritTodaysClaim(archive, restored, clock))
                .hasValueSatisfying(claim ->
                        assertThat(claim.claimedBy()).contains("inherited from the archive " + archive.location()));
        DailyBackup fromRestored =
                DailyBackup.builder(restored, service).clock(clock).build();

        // Then it is refused by the guard, before anything is taken or called, naming the first call's outcome
        assertThatThrownBy(() -> fromRestored.run(this::takeBases))
                .isInstanceOfSatisfying(
                        BackupQuotaExceededException.class,
                        refused ->
                                assertThat(refused.refusedBy()).isEqualTo(BackupQuotaExceededException.RefusedBy.GUARD))
                .hasMessageContaining("ACCEPTED: backup-1")
                .hasMessageContaining("No call was made");
        assertThat(service.calls).hasSize(1);
        assertThat(baseBackupsTaken).hasValue(1);

        // and only that day: the next day's call is the restored archive's own
        assertThat(fromRestored.claimOf(LocalDate.parse("2025-06-02"))).isEmpty();
    }

    @Test
    void nothingIsInheritedBeforeTheDaysCallIsMade() {
        ArchiveStore restored = ArchiveStore.directory(dir.resolve("restored-archive"));

        assertThat(DailyBackup.inheritTodaysClaim(archive, restored, clock)).isEmpty();
        assertThat(DailyBackup.builder(restored, service).clock(clock).build().claimOfToday())
                .isEmpty();
    }

    private DailyBackup daily() {
        return DailyBackup.builder(archive, service).clock(clock).build();
    }

    private List<BaseBackupInfo> takeBases() {
        baseBackupsTaken.incrementAndGet();
        return archiver.takeBaseBackups();
    }

    private BaseBackupInfo fakeBase() {
        // Racing instances share one base backup: taking several at once is not what is tested here
        synchronized (this) {
            List<BaseBackupInfo> bases =
                    ArchiveManifest.read(archive, "widgets").orElseThrow().baseBackups();
            return bases.isEmpty() ? archiver.takeBaseBackup("widgets") : bases.getFirst();
        }
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(20, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
