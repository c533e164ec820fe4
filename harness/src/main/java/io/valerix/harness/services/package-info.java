/**
 * The service assembly: the order and inventory services put together for a run, the lowest layer
 * of the harness beside {@code link} and {@code text}. {@link io.valerix.harness.services.ServicePair}
 * runs both in this JVM, wired as Valerix runs; {@link io.valerix.harness.services.Storage} and
 * {@link io.valerix.harness.services.ServiceDatabases} say and open their databases; {@link
 * io.valerix.harness.services.Warmup} warms them before they are announced; {@link
 * io.valerix.harness.services.ServiceArchiving} archives their journal. The fleet ({@code fleet})
 * runs the same services as child processes from the same settings.
 */
package io.valerix.harness.services;
