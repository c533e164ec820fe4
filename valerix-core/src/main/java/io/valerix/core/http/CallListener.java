package io.valerix.core.http;

/**
 * Told about every outbound call a {@link JsonClient} makes, for latency monitoring. Runs on the
 * caller's thread, so it must be fast and must not throw.
 */
@FunctionalInterface
public interface CallListener {

    /**
     * @param dependency the client's name, for example {@code inventory}
     * @param route the call's template, for example {@code PUT /reservations/{orderId}}
     * @param outcome the status code as text, or {@code timeout}, or {@code transport-error}
     * @param nanos the time from sending until control came back
     */
    void onCall(String dependency, String route, String outcome, long nanos);
}
