package io.valerix.core.health;

import static org.assertj.core.api.Assertions.assertThat;

import io.valerix.core.time.ManualNanoClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class LatencyMonitorConcurrencyTest {

    private static final int THREADS = 4;
    private static final int RECORDS_PER_THREAD = 50_000;
    private static final int CLOCK_STEPS = 5_000;
    private static final RequestKey OK = RequestKey.server("PUT", "/reservations/{orderId}", Outcome.status(200));
    private static final RequestKey FAILED = RequestKey.server("PUT", "/reservations/{orderId}", Outcome.status(503));
    private static final RequestKey CALL = RequestKey.client("inventory", "GET", "/inventory/{sku}", Outcome.OK);

    private final ManualNanoClock clock = new ManualNanoClock();
    private final LatencyMonitor monitor = LatencyMonitor.of(HealthConfig.defaults(), clock);

    @Test
    void fourThreadsRecordingFiftyThousandEachLoseNothingWhileTheClockMovesAndReadersRead() throws Exception {
        // given writers, and a thread that moves the clock 5 s (less than a window, so everything
        // stays in it) in 1 ms steps paced by the writers' progress, reading the light and the
        // metrics page on the way, so slices close under the writers' feet all along
        AtomicLong progress = new AtomicLong();
        long recordsPerStep = (long) THREADS * RECORDS_PER_THREAD / CLOCK_STEPS;
        ExecutorService pool = Executors.newFixedThreadPool(THREADS + 1);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<?>> futures = new ArrayList<>();
        try {
            for (int t = 0; t < THREADS; t++) {
                futures.add(pool.submit(() -> {
                    start.await();
                    for (int i = 0; i < RECORDS_PER_THREAD; i++) {
                        monitor.record(keyFor(i), (i % 2_000 + 1) * 1_000_000L);
                        progress.incrementAndGet();
                    }
                    return null;
                }));
            }
            PrometheusExposition metrics =
                    PrometheusExposition.builder().source(monitor).build();
            futures.add(pool.submit(() -> {
                start.await();
                for (int step = 1; step <= CLOCK_STEPS; step++) {
                    while (progress.get() < step * recordsPerStep) {
                        Thread.yield();
                    }
                    clock.advance(Duration.ofMillis(1));
                    if (step % 250 == 0) {
                        monitor.server();
                        metrics.render();
                    }
                }
                return null;
            }));

            // when
            start.countDown();
            for (Future<?> f : futures) {
                f.get(2, TimeUnit.MINUTES);
            }
        } finally {
            pool.shutdownNow();
        }

        // then every count is exact: in the windows, per key, and in the cumulative metrics
        long ok = 0;
        long failed = 0;
        long calls = 0;
        for (int i = 0; i < RECORDS_PER_THREAD; i++) {
            RequestKey key = keyFor(i);
            if (key == OK) {
                ok++;
            } else if (key == FAILED) {
                failed++;
            } else {
                calls++;
            }
        }
        ok *= THREADS;
        failed *= THREADS;
        calls *= THREADS;
        assertThat(ok + failed + calls).isEqualTo((long) THREADS * RECORDS_PER_THREAD);

        WindowSnapshot server = monitor.server().window();
        assertThat(server.count()).isEqualTo(ok + failed);
        assertThat(server.errorCount()).isEqualTo(failed);
        assertThat(monitor.dependencies().get("inventory").window().count()).isEqualTo(calls);

        Map<RequestKey, WindowSnapshot> byKey = monitor.snapshotsByKey();
        assertThat(byKey.get(OK).count()).isEqualTo(ok);
        assertThat(byKey.get(FAILED).count()).isEqualTo(failed);
        assertThat(byKey.get(FAILED).errorCount()).isEqualTo(failed);
        assertThat(byKey.get(CALL).count()).isEqualTo(calls);

        String page = PrometheusExposition.builder().source(monitor).build().render();
        String okLabels = "{route=\"/reservations/{orderId}\",method=\"PUT\",status=\"200\"}";
        assertThat(page)
                .contains("valerix_http_server_requests_total" + okLabels + " " + ok + "\n")
                .contains("valerix_http_server_request_duration_seconds_count" + okLabels + " " + ok + "\n")
                .contains("valerix_http_client_requests_total{dependency=\"inventory\","
                        + "route=\"/inventory/{sku}\",method=\"GET\",outcome=\"ok\"} " + calls + "\n");
    }

    private static RequestKey keyFor(int i) {
        if (i % 4 == 0) {
            return CALL;
        }
        return i % 10 == 1 ? FAILED : OK;
    }
}
