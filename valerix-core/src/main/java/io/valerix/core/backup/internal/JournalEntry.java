package io.valerix.core.backup.internal;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;

/**
 * One journal row: change number {@code seq} stamped {@code at}, on {@code table}, the row named
 * by {@code key}, and its after-image ({@code null} for a delete).
 */
public record JournalEntry(long seq, Instant at, String table, ObjectNode key, ObjectNode row) {

    public boolean isDelete() {
        return row == null;
    }
}
