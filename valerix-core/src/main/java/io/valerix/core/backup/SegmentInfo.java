package io.valerix.core.backup;

import java.time.Instant;
import java.util.Objects;

/**
 * One sealed journal segment as the manifest lists it: the journal rows {@code firstSeq} to
 * {@code lastSeq} of one database, without holes, stamped {@code firstAt} to {@code lastAt},
 * stored under {@code name} with this SHA-256 (hex) and size.
 */
public record SegmentInfo(
        String name, long firstSeq, long lastSeq, Instant firstAt, Instant lastAt, String sha256, long bytes) {

    public SegmentInfo {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(firstAt, "firstAt");
        Objects.requireNonNull(lastAt, "lastAt");
        Objects.requireNonNull(sha256, "sha256");
        if (firstSeq < 1 || lastSeq < firstSeq) {
            throw new IllegalArgumentException(
                    "segment " + name + " must cover 1 <= firstSeq <= lastSeq, but was " + firstSeq + ".." + lastSeq);
        }
    }

    /** How many journal rows it holds. */
    public long changes() {
        return lastSeq - firstSeq + 1;
    }
}
