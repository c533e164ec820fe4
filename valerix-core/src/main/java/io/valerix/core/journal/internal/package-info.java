/**
 * Implementation of {@link io.valerix.core.journal}: the row codec that turns a JDBC row into the
 * journal's JSON after-image and back (the backup's segments and restores read the same codec).
 * Not API.
 */
package io.valerix.core.journal.internal;
