/**
 * An S3-compatible bucket as Valerix's backup archive: {@link io.valerix.backup.s3.S3ArchiveStore}
 * implements {@link io.valerix.core.backup.ArchiveStore}, so continuous archiving, base backups,
 * the daily quota claim and point-in-time restore work against a bucket as they do against a
 * directory. A module of its own so that {@code valerix-core} does not carry the AWS SDK.
 */
package io.valerix.backup.s3;
