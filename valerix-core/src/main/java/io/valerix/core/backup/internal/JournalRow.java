package io.valerix.core.backup.internal;

import java.time.Instant;

/** A journal row as read from {@code valerix_journal}: key and image still as JSON text. */
public record JournalRow(long seq, Instant at, String table, String op, String keyJson, String imageJson) {}
