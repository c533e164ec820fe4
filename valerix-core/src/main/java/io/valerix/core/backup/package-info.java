/**
 * Backup under a one-call-a-day quota, with continuous archiving and point-in-time restore: the
 * engine-neutral counterpart of PostgreSQL's daily base backup plus WAL archiving.
 *
 * <ul>
 *   <li>{@link io.valerix.core.backup.JournalArchiver}: seals the {@link
 *       io.valerix.core.journal.ChangeJournal change journal} into checksummed segments
 *       every second and ships them to an {@link io.valerix.core.backup.ArchiveStore}; takes base
 *       backups.
 *   <li>{@link io.valerix.core.backup.WalArchiver}: the same on PostgreSQL with its own machinery:
 *       the WAL streamed by {@code pg_receivewal} into checksummed chunks, {@code pg_basebackup}
 *       base backups; no journal. Both are {@link io.valerix.core.backup.ContinuousArchiver}s.
 *   <li>{@link io.valerix.core.backup.DailyBackup}: the day's one call to the {@link
 *       io.valerix.core.backup.BackupService}, guarded by a claim file in the archive.
 *   <li>{@link io.valerix.core.backup.PointInTimeRestore}: a base backup plus the journal up to a
 *       {@link io.valerix.core.backup.RestorePoint}, built aside and moved into place whole; on
 *       PostgreSQL, the server's own point-in-time recovery.
 *   <li>{@link io.valerix.core.backup.BaseBackupTaker}: the engine's local base backup, taken
 *       when a service starts and its archive has none, so a restore works from the first minute
 *       ({@code BACKUP TO} on H2, {@code pg_basebackup} on PostgreSQL).
 *   <li>{@link io.valerix.core.backup.ArchiveRetention}: removes what no kept restore needs.
 *   <li>{@link io.valerix.core.backup.DatabaseDigest}: compares a restore with a live database.
 * </ul>
 *
 * <p>May use {@code health}, {@code http}, {@code jdbc}, {@code journal} and {@code time}; no other
 * package depends on backups (the stores' write path is in {@code journal}).
 *
 * <p>docs/backup.md says how to back up and restore, and what the recovery point is.
 */
package io.valerix.core.backup;
