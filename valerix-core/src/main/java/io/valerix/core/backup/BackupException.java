package io.valerix.core.backup;

/**
 * A backup, archiving or restore step failed: the archive or the database could not be read or
 * written, or the request cannot be met. The message says which database and which file.
 */
public class BackupException extends RuntimeException {

    public BackupException(String message) {
        super(message);
    }

    public BackupException(String message, Throwable cause) {
        super(message, cause);
    }
}
