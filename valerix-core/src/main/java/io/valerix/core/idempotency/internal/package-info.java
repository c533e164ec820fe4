/**
 * The idempotency filter's machinery: key parsing, request fingerprints, the claim protocol and
 * the stores. Not API: users need nothing from here.
 */
package io.valerix.core.idempotency.internal;
