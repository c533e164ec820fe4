/**
 * JSON over HTTP: {@link io.valerix.core.http.JsonServer}, the embedded server on Jetty 12 with its
 * limits, filters and RFC 9457 problem answers ({@link io.valerix.core.http.ProblemType}); and
 * {@link io.valerix.core.http.JsonClient}, the OkHttp client that sends the deadline's budget
 * downstream and cancels the call when it passes.
 *
 * <p>HTTP's rule for which failures are transient lives here, with its exceptions ({@link
 * io.valerix.core.http.RemoteProblemException#isTransient()}, {@link
 * io.valerix.core.http.TransportException}); retries read it through {@link
 * io.valerix.core.retry.TransientFailure}.
 *
 * <p>May use {@code deadline}, {@code retry} and {@code time}. Types in {@code
 * io.valerix.core.http.internal} are implementation details.
 */
package io.valerix.core.http;
