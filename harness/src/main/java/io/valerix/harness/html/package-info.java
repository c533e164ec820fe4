/**
 * The HTML report kit both Valerix reports are written with, the chaos run's and the benchmarks':
 * {@link io.valerix.harness.html.Html}. Depends on nothing but the JDK, so the benchmarks module
 * can take it alone.
 */
package io.valerix.harness.html;
