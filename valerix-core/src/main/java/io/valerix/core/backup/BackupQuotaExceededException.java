package io.valerix.core.backup;

import java.time.LocalDate;
import java.util.Objects;

/**
 * The day's one call to the backup service is spent: refused by the quota guard before any call
 * was made, or (if the guard was bypassed) by the service itself with 429.
 */
public final class BackupQuotaExceededException extends BackupException {

    /** Who said no. */
    public enum RefusedBy {
        /** The guard in the archive: no call was made. */
        GUARD,
        /** The backup service answered 429. */
        SERVICE
    }

    private final LocalDate day;
    private final RefusedBy refusedBy;

    public BackupQuotaExceededException(LocalDate day, RefusedBy refusedBy, String message) {
        super(message);
        this.day = Objects.requireNonNull(day, "day");
        this.refusedBy = Objects.requireNonNull(refusedBy, "refusedBy");
    }

    /** The UTC day whose call was spent. */
    public LocalDate day() {
        return day;
    }

    public RefusedBy refusedBy() {
        return refusedBy;
    }
}
