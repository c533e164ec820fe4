/**
 * The small text grammars the harness shares between its options and its schedules: {@link
 * io.valerix.harness.text.DurationText}. Depends on nothing but the JDK.
 */
package io.valerix.harness.text;
