package io.valerix.core.backup.internal;

import io.valerix.core.backup.ArchiveStore;
import io.valerix.core.backup.BaseBackupInfo;
import io.valerix.core.backup.PrunedArchive;
import io.valerix.core.backup.SegmentInfo;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Retention on the manifest model, whatever the engine: keeps every base backup a restore to an
 * instant at or after {@code keepFrom} can start from (those covering a later instant, and the
 * newest covering {@code keepFrom} or earlier), and every segment after the oldest of them; removes
 * the rest.
 *
 * <p>Crash-safe by ordering: the manifest that no longer lists the files is written first, then
 * the files are deleted. A crash in between leaves files nobody lists (harmless, and not removed
 * by a later run; delete them by hand if it matters), never a listed file that is gone.
 *
 * <p>A segment list file is removed only whole, when every segment in it is older than every kept
 * base backup; a list that straddles the line stays as it is, since list files are immutable.
 */
public final class Retention {

    private static final Logger log = LoggerFactory.getLogger(Retention.class);

    private Retention() {}

    /**
     * Prunes {@code manifest} (changing it in place) and the files it stops listing.
     *
     * @throws IOException if the manifest cannot be written (nothing was deleted then) or a file
     *     cannot be deleted (the manifest no longer lists it; a later run does not retry)
     */
    public static PrunedArchive prune(ArchiveStore store, Manifest manifest, Instant keepFrom) throws IOException {
        Optional<BaseBackupInfo> startOfKept = manifest.baseBackups.stream()
                .filter(base -> !base.coversAt().isAfter(keepFrom))
                .max(Comparator.comparingLong(BaseBackupInfo::coversSeq));
        List<BaseBackupInfo> kept = manifest.baseBackups.stream()
                .filter(base -> base.coversAt().isAfter(keepFrom)
                        || startOfKept.map(base::equals).orElse(false))
                .toList();
        if (kept.isEmpty()) {
            // No base backup at all: no restore starts anywhere, so nothing is provably unneeded.
            return new PrunedArchive(manifest.database, keepFrom, null, List.of(), List.of(), 0);
        }
        BaseBackupInfo oldestKept = kept.stream()
                .min(Comparator.comparingLong(BaseBackupInfo::coversSeq))
                .orElseThrow();
        long neededAfter = oldestKept.coversSeq();

        List<BaseBackupInfo> removedBases = manifest.baseBackups.stream()
                .filter(base -> !kept.contains(base))
                .toList();
        List<Manifest.SegmentList> removedLists = manifest.segmentLists.stream()
                .filter(list -> list.lastSeq() <= neededAfter)
                .toList();
        List<SegmentInfo> removedSegments = new ArrayList<>();
        for (Manifest.SegmentList list : removedLists) {
            removedSegments.addAll(Manifest.readList(store, list));
        }
        List<SegmentInfo> removedLoose = manifest.segments.stream()
                .filter(segment -> segment.lastSeq() <= neededAfter)
                .toList();
        removedSegments.addAll(removedLoose);

        List<String> files = new ArrayList<>();
        long bytes = 0;
        for (BaseBackupInfo base : removedBases) {
            files.add(base.name());
            bytes += base.bytes();
        }
        for (SegmentInfo segment : removedSegments) {
            files.add(segment.name());
            bytes += segment.bytes();
        }
        removedLists.forEach(list -> files.add(list.name()));
        if (files.isEmpty()) {
            return new PrunedArchive(manifest.database, keepFrom, oldestKept, List.of(), List.of(), 0);
        }

        manifest.baseBackups = new ArrayList<>(kept);
        manifest.segmentLists = new ArrayList<>(manifest.segmentLists.stream()
                .filter(list -> !removedLists.contains(list))
                .toList());
        manifest.segments = new ArrayList<>(manifest.segments.stream()
                .filter(segment -> !removedLoose.contains(segment))
                .toList());
        manifest.write(store);
        for (String file : files) {
            store.delete(file);
        }
        log.info(
                "pruned the archive of '{}' before {}: {} base backups and {} other files ({} bytes); restores start from {} or later",
                manifest.database,
                keepFrom,
                removedBases.size(),
                files.size() - removedBases.size(),
                bytes,
                oldestKept.name());
        return new PrunedArchive(manifest.database, keepFrom, oldestKept, removedBases, files, bytes);
    }
}
