/**
 * The live dashboard the order service serves at {@code /dashboard} while {@code valerix up} or
 * {@code valerix chaos} runs: {@link io.valerix.harness.dashboard.Dashboard} is the whole public
 * API; the sampler, event stream, gremlin proxy and page files are in {@code internal}.
 */
package io.valerix.harness.dashboard;
