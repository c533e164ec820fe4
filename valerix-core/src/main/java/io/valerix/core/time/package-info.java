/** Time sources: {@link io.valerix.core.time.NanoClock} and its manual variant for tests. */
package io.valerix.core.time;
