package io.valerix.core.backup;

import java.util.Objects;

/**
 * A file a restore needs is missing from the archive, fails its SHA-256 check, does not parse, or
 * the journal has a hole. The restore stopped before moving anything into place; {@link #file()}
 * names the file (or the missing range).
 */
public final class ArchiveDamagedException extends BackupException {

    private final String file;

    public ArchiveDamagedException(String file, String message) {
        super(message);
        this.file = Objects.requireNonNull(file, "file");
    }

    public ArchiveDamagedException(String file, String message, Throwable cause) {
        super(message, cause);
        this.file = Objects.requireNonNull(file, "file");
    }

    /** The archive name of the damaged or missing file, or a description of the missing range. */
    public String file() {
        return file;
    }
}
