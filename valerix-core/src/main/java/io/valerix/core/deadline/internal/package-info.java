/**
 * Implementation of {@link io.valerix.core.deadline}: the one daemon timer thread that fires
 * deadlines on the system clock, and the bookkeeping of one limited call. Not API.
 */
package io.valerix.core.deadline.internal;
