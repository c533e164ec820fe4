package io.valerix.core.backup;

import com.fasterxml.jackson.databind.JsonNode;
import io.valerix.core.backup.internal.ArchiveJson;
import io.valerix.core.backup.internal.Manifest;
import io.valerix.core.backup.internal.Sha256;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.InstantSource;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The day's one call to the backup service, guarded: takes base backups, bundles them with the
 * manifests, and uploads the bundle, at most once per UTC day across restarts and instances.
 *
 * <p><b>The guard.</b> Before the call, {@link #run} atomically creates the claim file {@code
 * quota/<yyyy-mm-dd>.json} in the archive ({@link ArchiveStore#createIfAbsent}); whoever creates
 * it may call, and nobody else that day. The claim is made before the call and never taken back,
 * because a call that failed in transport may still have been counted by the service: spending a
 * day's quota on a failed call is recoverable (continuous archiving goes on and tomorrow's call
 * ships a fresh base backup); a second call the service refuses might not be. A second attempt
 * that day is refused before anything else happens, without a call. The outcome is written beside
 * the claim ({@code quota/<yyyy-mm-dd>.outcome.json}).
 *
 * <p>The day is the UTC date of the {@link Builder#clock(InstantSource)} at the moment of the
 * claim. Thread-safe; the guard also holds between processes sharing the archive.
 */
public final class DailyBackup {

    private static final Logger log = LoggerFactory.getLogger(DailyBackup.class);

    /** Takes the base backups to ship; for example {@link JournalArchiver#takeBaseBackups()}. */
    @FunctionalInterface
    public interface BaseBackups {
        List<BaseBackupInfo> take();
    }

    /** A claim on a day's call, as stored in the archive. */
    public record Claim(
            LocalDate day,
            Instant claimedAt,
            String claimedBy,
            String bundleSha256,
            long bundleBytes,
            List<String> baseBackups) {}

    private final ArchiveStore archive;
    private final BackupService service;
    private final InstantSource clock;

    private DailyBackup(Builder builder) {
        this.archive = builder.archive;
        this.service = builder.service;
        this.clock = builder.clock;
    }

    public static Builder builder(ArchiveStore archive, BackupService service) {
        return new Builder(archive, service);
    }

    /** The claim of the current UTC day, if its call was made or attempted. */
    public Optional<Claim> claimOfToday() {
        return claimOf(today());
    }

    /** The claim of {@code day}, if its call was made or attempted. */
    public Optional<Claim> claimOf(LocalDate day) {
        return readClaim(archive, day);
    }

    private static Optional<Claim> readClaim(ArchiveStore archive, LocalDate day) {
        try (InputStream in = archive.open(claimName(day))) {
            return Optional.of(ArchiveJson.MAPPER.readValue(in, Claim.class));
        } catch (java.nio.file.NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            // A claim file that exists but does not parse still spends the day: existence is the claim.
            return Optional.of(new Claim(day, null, "unreadable claim (" + e.getMessage() + ")", "", 0, List.of()));
        }
    }

    /**
     * Takes base backups with {@code source}, bundles them with the manifests, claims today's call
     * and makes it.
     *
     * @throws BackupQuotaExceededException if today's call was already claimed (before anything is
     *     taken), claimed meanwhile by another instance, or refused by the service with 429
     * @throws BackupException if the base backups, the bundle or the call fail; a failed call still
     *     spends the day (see the class comment)
     */
    public BackupReceipt run(BaseBackups source) {
        Objects.requireNonNull(source, "source");
        refuseIfClaimed(today());
        List<BaseBackupInfo> bases = List.copyOf(source.take());
        if (bases.isEmpty()) {
            throw new BackupException("there are no base backups to ship");
        }
        Path bundle = null;
        try {
            bundle = Files.createTempFile("valerix-bundle-", ".zip");
            writeBundle(bundle, bases);
            String sha = Sha256.of(bundle);
            long bytes = Files.size(bundle);
            LocalDate day = today();
            Claim claim = new Claim(
                    day,
                    clock.instant(),
                    whoAmI(),
                    sha,
                    bytes,
                    bases.stream().map(BaseBackupInfo::name).toList());
            if (!archive.createIfAbsent(claimName(day), ArchiveJson.MAPPER.writeValueAsBytes(claim))) {
                refuseIfClaimed(day);
                throw new BackupQuotaExceededException(
                        day,
                        BackupQuotaExceededException.RefusedBy.GUARD,
                        "the backup call of " + day + " (UTC) was claimed meanwhile by another instance");
            }
            String serviceId;
            try {
                serviceId = service.upload(new BackupService.Bundle(bundle, day, sha, bytes));
            } catch (BackupQuotaExceededException refused) {
                recordOutcome(day, "REFUSED", refused.getMessage());
                throw refused;
            } catch (IOException | RuntimeException e) {
                recordOutcome(day, "FAILED", e.toString());
                throw new BackupException(
                        "the backup call of " + day + " to " + service.location() + " failed (" + e.getMessage()
                                + "); the service may have counted it, so the day's call stays spent (claim "
                                + claimName(day) + " in "
                                + archive.location()
                                + "); continuous archiving goes on, and tomorrow's call ships a new base backup",
                        e);
            }
            recordOutcome(day, "ACCEPTED", serviceId);
            log.info(
                    "backup of {} shipped to {}: {} ({} bytes, sha256 {})",
                    day,
                    service.location(),
                    serviceId,
                    bytes,
                    sha);
            return new BackupReceipt(day, serviceId, sha, bytes, bases, clock.instant());
        } catch (IOException e) {
            throw new BackupException("building the backup bundle failed: " + e.getMessage(), e);
        } finally {
            if (bundle != null) {
                try {
                    Files.deleteIfExists(bundle);
                } catch (IOException e) {
                    log.warn("could not delete {}", bundle, e);
                }
            }
        }
    }

    /**
     * Carries today's claim (the UTC day of {@code clock}) from {@code archive} into {@code target},
     * for an archive that continues it (a restore's): the backup service counts calls per service, not per archive, so a
     * fresh archive that did not know of today's call would make a second one. The outcome is copied
     * too. A claim already in {@code target} is left as it is.
     *
     * @return the claim carried over; empty if today's call has not been claimed in {@code archive}
     *     (then either archive may make it: make it from one of them only)
     * @throws BackupException if {@code target} cannot be written
     */
    public static Optional<Claim> inheritTodaysClaim(ArchiveStore archive, ArchiveStore target, InstantSource clock) {
        Objects.requireNonNull(archive, "archive");
        Objects.requireNonNull(target, "target");
        LocalDate day = LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
        Optional<Claim> claim = readClaim(archive, day);
        if (claim.isEmpty()) {
            return Optional.empty();
        }
        Claim original = claim.get();
        Claim inherited = new Claim(
                original.day(),
                original.claimedAt(),
                original.claimedBy() + ", inherited from the archive " + archive.location(),
                original.bundleSha256(),
                original.bundleBytes(),
                original.baseBackups());
        try {
            target.createIfAbsent(claimName(day), ArchiveJson.MAPPER.writeValueAsBytes(inherited));
            try (InputStream outcome = archive.open(outcomeName(day))) {
                target.put(outcomeName(day), outcome.readAllBytes());
            } catch (java.nio.file.NoSuchFileException noOutcomeYet) {
                // The call is still running, or its process died: the claim alone spends the day.
            }
        } catch (IOException e) {
            throw new BackupException(
                    "carrying the backup claim of " + day + " into " + target.location() + " failed: " + e.getMessage(),
                    e);
        }
        return Optional.of(inherited);
    }

    private void refuseIfClaimed(LocalDate day) {
        Optional<Claim> claim = claimOf(day);
        if (claim.isPresent()) {
            throw new BackupQuotaExceededException(
                    day,
                    BackupQuotaExceededException.RefusedBy.GUARD,
                    "the backup call of " + day + " (UTC) was already made"
                            + (claim.get().claimedAt() == null
                                    ? ""
                                    : " at " + claim.get().claimedAt())
                            + " by " + claim.get().claimedBy() + " (" + outcomeOf(day)
                            + "); the next call is allowed from "
                            + day.plusDays(1) + "T00:00:00Z. No call was made.");
        }
    }

    private String outcomeOf(LocalDate day) {
        try (InputStream in = archive.open(outcomeName(day))) {
            JsonNode outcome = ArchiveJson.MAPPER.readTree(in);
            return outcome.path("outcome").asText("unknown outcome") + ": "
                    + outcome.path("detail").asText("");
        } catch (IOException e) {
            return "no outcome recorded: the call may still be running, or its process died";
        }
    }

    private void recordOutcome(LocalDate day, String outcome, String detail) {
        Map<String, Object> record = new LinkedHashMap<>();
        record.put("day", day.toString());
        record.put("outcome", outcome);
        record.put("detail", detail);
        record.put("at", clock.instant().toString());
        try {
            archive.put(outcomeName(day), ArchiveJson.MAPPER.writeValueAsBytes(record));
        } catch (IOException e) {
            log.warn("could not record the outcome {} of the backup call of {}", outcome, day, e);
        }
    }

    private void writeBundle(Path bundle, List<BaseBackupInfo> bases) throws IOException {
        Set<String> databases = new LinkedHashSet<>();
        bases.forEach(base -> databases.add(base.database()));
        try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(bundle))) {
            Map<String, Object> description = new LinkedHashMap<>();
            description.put("format", 1);
            description.put("createdAt", clock.instant().toString());
            description.put("baseBackups", bases);
            zip.putNextEntry(new ZipEntry("bundle.json"));
            zip.write(ArchiveJson.MAPPER.writeValueAsBytes(description));
            zip.closeEntry();
            List<String> names = new ArrayList<>();
            bases.forEach(base -> names.add(base.name()));
            for (String database : databases) {
                names.add(Manifest.nameOf(database));
                Manifest.read(archive, database).ifPresent(manifest -> names.addAll(manifest.listNames()));
            }
            for (String name : names) {
                zip.putNextEntry(new ZipEntry(name));
                try (InputStream in = archive.open(name)) {
                    in.transferTo(zip);
                }
                zip.closeEntry();
            }
        }
    }

    private LocalDate today() {
        return LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
    }

    static String claimName(LocalDate day) {
        return "quota/" + day + ".json";
    }

    private static String outcomeName(LocalDate day) {
        return "quota/" + day + ".outcome.json";
    }

    private static String whoAmI() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            host = "unknown-host";
        }
        return host + " pid " + ProcessHandle.current().pid();
    }

    /** Builds a {@link DailyBackup}; not thread-safe. */
    public static final class Builder {
        private final ArchiveStore archive;
        private final BackupService service;
        private InstantSource clock = InstantSource.system();

        private Builder(ArchiveStore archive, BackupService service) {
            this.archive = Objects.requireNonNull(archive, "archive");
            this.service = Objects.requireNonNull(service, "service");
        }

        /** The clock whose UTC date is "the day"; the system clock by default. */
        public Builder clock(InstantSource clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        public DailyBackup build() {
            return new DailyBackup(this);
        }
    }
}
