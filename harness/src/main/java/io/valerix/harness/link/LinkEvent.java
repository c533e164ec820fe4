package io.valerix.harness.link;

import java.time.Instant;
import java.util.Optional;

/**
 * One fault the link went through: when it began and ended, and how many connections it reset or
 * cut half-open on entry (zero for the other faults).
 *
 * @param fault the fault
 * @param began when the proxy began playing it
 * @param ended when it stopped, empty while it lasts
 * @param connectionsHit connections reset or cut half-open when it began
 */
public record LinkEvent(LinkFault fault, Instant began, Optional<Instant> ended, int connectionsHit) {}
