/**
 * The gremlin in anybody's tests, with the same specs, seeds and decision log as inside Valerix:
 * {@link io.valerix.gremlin.testing.GremlinProxyExtension} (JUnit 5: a seeded fault proxy in
 * front of a URL for each test) and {@link io.valerix.gremlin.testing.GremlinWireMock} (WireMock:
 * stubs answer with the gremlin's delays and faults). The proxy itself is {@link
 * io.valerix.core.gremlin.GremlinProxy} in valerix-core; the OkHttp interceptor is {@link
 * io.valerix.core.gremlin.GremlinInterceptor}.
 */
package io.valerix.gremlin.testing;
