/**
 * Time sources: {@link io.valerix.core.time.NanoClock}, the only way Valerix reads elapsed time;
 * {@link io.valerix.core.time.TimerClock}, a clock that can also fire tasks; and {@link
 * io.valerix.core.time.ManualNanoClock}, the clock tests advance by hand.
 *
 * <p>May use nothing else in Valerix: every other package may use it.
 */
package io.valerix.core.time;
