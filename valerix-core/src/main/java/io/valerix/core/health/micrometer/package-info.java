/**
 * Valerix's latency figures in Micrometer, for applications that already use it.
 *
 * <p>{@code micrometer-core} is an optional dependency of valerix-core: add it to your own
 * build to use this package; nothing else in Valerix needs it.
 */
package io.valerix.core.health.micrometer;
