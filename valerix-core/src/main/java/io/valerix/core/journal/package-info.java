/**
 * The change journal: stores append each write's after-image to a journal table in the same
 * transaction, numbered without holes in commit order ({@link
 * io.valerix.core.journal.ChangeJournal}, rows named by {@link
 * io.valerix.core.journal.JournaledTable}). It is part of the stores' write path; archiving and
 * restoring the journal is {@code backup}'s business, which depends on this package, never the
 * other way round.
 *
 * <p>May use {@code jdbc} only. Types in {@code io.valerix.core.journal.internal} are
 * implementation details.
 */
package io.valerix.core.journal;
