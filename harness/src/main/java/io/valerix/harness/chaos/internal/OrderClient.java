package io.valerix.harness.chaos.internal;

import com.fasterxml.jackson.databind.JsonNode;
import io.valerix.harness.chaos.internal.WorkloadPlan.Intent;
import io.valerix.harness.fleet.ServiceFleet;
import io.valerix.harness.report.AttemptRecord;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import okhttp3.ConnectionPool;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

/**
 * Sends one {@code POST /orders} as a user's browser would, and says what came back. At most
 * {@code maxInFlight} requests are out at once; a send waits for a free slot, and the wait counts
 * as latency because latency runs from the intended send time.
 *
 * <p>With several order instances, requests go round robin ({@link #instanceFor}).
 *
 * <p>OkHttp's silent retry is off: every request on the wire is one line in the client log.
 * Thread-safe.
 */
final class OrderClient implements AutoCloseable {

    private static final MediaType JSON = MediaType.get("application/json");

    /** An attempt's record and the {@code Retry-After} the service asked for, in ms (0 if none). */
    record Answer(AttemptRecord record, long retryAfterMs) {}

    private final List<URI> orderUris;
    private final OkHttpClient base;
    private final OkHttpClient patient;
    private final OkHttpClient impatient;
    private final Semaphore slots;
    private final RunClock clock;

    OrderClient(
            List<URI> orderUris, Duration patientTimeout, Duration impatientTimeout, int maxInFlight, RunClock clock) {
        this.orderUris = List.copyOf(orderUris);
        this.base = new OkHttpClient.Builder()
                .retryOnConnectionFailure(false)
                .followRedirects(false)
                .connectionPool(new ConnectionPool(Math.min(maxInFlight, 256), 30, TimeUnit.SECONDS))
                .readTimeout(0, TimeUnit.MILLISECONDS)
                .build();
        this.patient = base.newBuilder()
                .callTimeout(patientTimeout.toMillis(), TimeUnit.MILLISECONDS)
                .build();
        this.impatient = base.newBuilder()
                .callTimeout(impatientTimeout.toMillis(), TimeUnit.MILLISECONDS)
                .build();
        this.slots = new Semaphore(maxInFlight);
        this.clock = clock;
    }

    /**
     * Sends the intent's order once.
     *
     * @param reordered send the body's fields in another order (the same request to the service)
     * @param quotedKey send the key as a structured-field string, {@code "…"} (the same key)
     */
    Answer send(
            Intent intent,
            String kind,
            int attempt,
            long intendedNanos,
            String phase,
            boolean reordered,
            boolean quotedKey,
            boolean impatientUser) {
        String body = reordered
                ? "{\"quantity\":" + intent.quantity() + ",\"sku\":\"" + intent.sku() + "\",\"orderId\":\""
                        + intent.orderId() + "\"}"
                : "{\"orderId\":\"" + intent.orderId() + "\",\"sku\":\"" + intent.sku() + "\",\"quantity\":"
                        + intent.quantity() + "}";
        int instance = instanceFor(intent, attempt);
        Request request = new Request.Builder()
                .url(orderUris.get(instance).resolve("/orders").toString())
                .header("Idempotency-Key", quotedKey ? "\"" + intent.orderId() + "\"" : intent.orderId())
                .post(RequestBody.create(body, JSON))
                .build();
        try {
            slots.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            long now = System.nanoTime();
            return new Answer(
                    record(intent, kind, attempt, phase, intendedNanos, now, now, 0, null, "aborted", instance), 0);
        }
        long sent = System.nanoTime();
        try (Response response =
                (impatientUser ? impatient : patient).newCall(request).execute()) {
            String text = response.body().string();
            long end = System.nanoTime();
            int status = response.code();
            String orderStatus = null;
            String error = null;
            JsonNode json = parse(text);
            if (status >= 200 && status < 300) {
                orderStatus = json == null ? null : json.path("status").asText(null);
                if (orderStatus == null) {
                    error = "answer without an order status";
                }
            } else {
                String type = json == null ? null : json.path("type").asText(null);
                error = type != null ? type.replace("urn:valerix:problem:", "") : "HTTP " + status;
            }
            long retryAfter = retryAfterMillis(response.header("Retry-After"));
            return new Answer(
                    record(
                            intent,
                            kind,
                            attempt,
                            phase,
                            intendedNanos,
                            sent,
                            end,
                            status,
                            orderStatus,
                            error,
                            instance),
                    retryAfter);
        } catch (InterruptedIOException e) {
            long end = System.nanoTime();
            return new Answer(
                    record(intent, kind, attempt, phase, intendedNanos, sent, end, 0, null, "timeout", instance), 0);
        } catch (IOException e) {
            long end = System.nanoTime();
            return new Answer(
                    record(
                            intent,
                            kind,
                            attempt,
                            phase,
                            intendedNanos,
                            sent,
                            end,
                            0,
                            null,
                            "transport: " + e.getMessage(),
                            instance),
                    0);
        } finally {
            slots.release();
        }
    }

    /**
     * Round robin over the instances, by intent and attempt: an intent's first request goes to
     * instance {@code intent % n}, each later one (duplicate, retry, follow-up) to the next, so a
     * duplicate or retry always lands on another instance than the request before it. A function of
     * the seed's workload, so a repeated run routes alike.
     */
    private int instanceFor(Intent intent, int attempt) {
        return (int) ((intent.number() + attempt - 1) % orderUris.size());
    }

    private AttemptRecord record(
            Intent intent,
            String kind,
            int attempt,
            String phase,
            long intended,
            long sent,
            long end,
            int status,
            String orderStatus,
            String error,
            int instance) {
        double intendedMs = clock.ms(intended);
        double endMs = clock.ms(end);
        return new AttemptRecord(
                intent.number(),
                intent.orderId(),
                intent.sku(),
                intent.quantity(),
                kind,
                attempt,
                phase,
                intendedMs,
                clock.ms(sent),
                endMs,
                Math.round((endMs - intendedMs) * 1e3) / 1e3,
                status,
                orderStatus,
                error,
                orderUris.size() == 1 ? null : ServiceFleet.orderInstanceId(instance + 1));
    }

    private static JsonNode parse(String text) {
        try {
            return text.isEmpty() ? null : HttpJson.MAPPER.readTree(text);
        } catch (IOException e) {
            return null;
        }
    }

    private static long retryAfterMillis(String header) {
        if (header == null) {
            return 0;
        }
        try {
            return Math.min(10_000, Long.parseLong(header.strip()) * 1000);
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /** Cancels every call in flight. */
    void cancelAll() {
        base.dispatcher().cancelAll();
        patient.dispatcher().cancelAll();
        impatient.dispatcher().cancelAll();
    }

    @Override
    public void close() {
        cancelAll();
        base.dispatcher().executorService().shutdown();
        base.connectionPool().evictAll();
    }
}
