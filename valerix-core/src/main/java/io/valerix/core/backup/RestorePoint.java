package io.valerix.core.backup;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Objects;

/**
 * How far a restore goes: the last archived change ({@link #latest()}), every change stamped at or
 * before an instant ({@link #at(Instant)}), or every change up to a journal number ({@link
 * #seq(long)}, for one database).
 */
public sealed interface RestorePoint {

    /** Everything the archive holds. */
    static RestorePoint latest() {
        return Latest.INSTANCE;
    }

    /** Every change committed (stamped) at or before {@code instant}, and none after it. */
    static RestorePoint at(Instant instant) {
        return new At(instant);
    }

    /** Every change up to and including journal row {@code seq}. */
    static RestorePoint seq(long seq) {
        return new Seq(seq);
    }

    /**
     * {@code latest} or an ISO-8601 instant such as {@code 2025-06-01T12:00:00Z}.
     *
     * @throws IllegalArgumentException for anything else
     */
    static RestorePoint parse(String text) {
        Objects.requireNonNull(text, "text");
        if (text.strip().equalsIgnoreCase("latest")) {
            return latest();
        }
        try {
            return at(Instant.parse(text.strip()));
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(
                    "a restore point is 'latest' or an ISO-8601 instant such as 2025-06-01T12:00:00Z, but was '" + text
                            + "'",
                    e);
        }
    }

    /** Whether the change numbered {@code seq}, stamped {@code at}, is past this point. */
    boolean isBeyond(long seq, Instant at);

    /** The last archived change. */
    enum Latest implements RestorePoint {
        INSTANCE;

        @Override
        public boolean isBeyond(long seq, Instant at) {
            return false;
        }

        @Override
        public String toString() {
            return "latest";
        }
    }

    /** Changes stamped at or before {@code instant}. */
    record At(Instant instant) implements RestorePoint {
        public At {
            Objects.requireNonNull(instant, "instant");
        }

        @Override
        public boolean isBeyond(long seq, Instant at) {
            return at.isAfter(instant);
        }

        @Override
        public String toString() {
            return instant.toString();
        }
    }

    /** Changes numbered up to {@code seq}. */
    record Seq(long seq) implements RestorePoint {
        public Seq {
            if (seq < 0) {
                throw new IllegalArgumentException("seq must be >= 0, but was " + seq);
            }
        }

        @Override
        public boolean isBeyond(long other, Instant at) {
            return other > seq;
        }

        @Override
        public String toString() {
            return "seq " + seq;
        }
    }
}
