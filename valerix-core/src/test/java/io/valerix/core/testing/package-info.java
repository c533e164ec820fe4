/**
 * The Valerix test kit: the fixtures every module's tests share, published as valerix-core's
 * test-jar ({@code <type>test-jar</type>}, scope {@code test}). Not a user API: it changes with
 * the tests that use it.
 *
 * <ul>
 *   <li>Databases: {@link io.valerix.core.testing.TestPostgres} (one private PostgreSQL cluster per
 *       test JVM), {@link io.valerix.core.testing.TestDatabase} and {@link
 *       io.valerix.core.testing.DatabaseEngine} (the same test on H2 and PostgreSQL), {@link
 *       io.valerix.core.testing.DatabaseRows} (tables read past the code under test).
 *   <li>Time: {@link io.valerix.core.testing.ManualWallClock}, a wall clock the test moves. Elapsed
 *       time is driven with {@link io.valerix.core.time.ManualNanoClock}, which is public API.
 *   <li>HTTP: {@link io.valerix.core.testing.RawHttp} (hand-made requests with a real client, the
 *       raw reply back) and {@link io.valerix.core.testing.RawSocket} (requests no client would
 *       send, over one TCP connection).
 *   <li>{@code kill -9}: {@link io.valerix.core.testing.ChildJvm} starts a class of the test class
 *       path in a JVM of its own, reads its stdout protocol and kills it; the child's side is
 *       {@link io.valerix.core.testing.ChildJvmProtocol}.
 *   <li>{@link io.valerix.core.testing.OpenApiDocument}: {@code api/openapi.yaml}, parsed, for the
 *       tests that keep it true.
 * </ul>
 *
 * <p>It lives in core's tests, not a module of its own, because the database fixtures need core's
 * main code and core's own tests need the kit: a separate module would be a cycle or a second kit.
 * It may use core's main code and test libraries only.
 */
package io.valerix.core.testing;
