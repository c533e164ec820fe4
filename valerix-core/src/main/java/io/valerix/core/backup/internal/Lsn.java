package io.valerix.core.backup.internal;

import java.util.Locale;

/**
 * PostgreSQL WAL positions (LSNs) as {@code long}s, and the names of the WAL segment files that
 * hold them. An LSN is a byte position in the WAL stream; the archive uses it as its "sequence
 * number" on PostgreSQL, so segments and base backups are ordered the same way on both engines.
 */
public final class Lsn {

    private Lsn() {}

    /** Parses PostgreSQL's text form {@code "16/B374D848"}. */
    public static long parse(String text) {
        int slash = text.indexOf('/');
        if (slash < 1) {
            throw new IllegalArgumentException("an LSN looks like 16/B374D848, but was '" + text + "'");
        }
        return (Long.parseLong(text.substring(0, slash), 16) << 32) | Long.parseLong(text.substring(slash + 1), 16);
    }

    /** PostgreSQL's text form of {@code lsn}. */
    public static String format(long lsn) {
        return String.format(Locale.ROOT, "%X/%X", lsn >>> 32, lsn & 0xFFFFFFFFL);
    }

    /** The WAL file name ({@code 000000010000000000000003}) of segment {@code segno} on {@code timeline}. */
    public static String fileName(int timeline, long segno, long segmentBytes) {
        long perId = 0x1_0000_0000L / segmentBytes;
        return String.format(Locale.ROOT, "%08X%08X%08X", timeline, segno / perId, segno % perId);
    }

    /** The segment number in a WAL file name (its last 16 hex digits). */
    public static long segno(String fileName, long segmentBytes) {
        long perId = 0x1_0000_0000L / segmentBytes;
        return Long.parseLong(fileName.substring(8, 16), 16) * perId + Long.parseLong(fileName.substring(16, 24), 16);
    }

    /** The timeline in a WAL file name (its first 8 hex digits). */
    public static int timeline(String fileName) {
        return Integer.parseInt(fileName.substring(0, 8), 16);
    }
}
