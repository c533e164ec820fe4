package io.valerix.harness.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.management.GarbageCollectionNotificationInfo;
import io.valerix.core.http.BearerTokenFilter;
import io.valerix.core.http.Response;
import io.valerix.inventory.InventoryServer;
import io.valerix.order.InProcessInventoryClient;
import io.valerix.order.OrderServer;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The child JVM of the memory figure: the order service (HTTP in, its database, idempotency, the
 * reconciler) with inventory in the same process behind {@link HeldInventory}, so that many orders
 * wait on inventory at once. It samples the heap every 10 ms.
 *
 * <p>Protocol on stdin/stdout: prints {@code READY <order port>}; on the line {@code REPORT} prints
 * {@code RESULT <json>} and exits. Started by {@link InFlightMemoryRun} with {@code -Xmx512m}.
 *
 * <p>Why inventory is in-process: over HTTP each in-flight order holds two sockets in the order
 * service (the caller's and its own call to inventory); 10,000 orders would need 20,000 file
 * descriptors in one process, and this machine's hard limit is 20,000 per process.
 */
public final class InFlightMemoryProbe {

    /** How long an order may wait on inventory here. */
    static final Duration WAIT = Duration.ofMinutes(3);

    private InFlightMemoryProbe() {}

    public static void main(String[] args) throws Exception {
        try {
            probe(args);
        } catch (Exception | Error e) {
            // The servers' non-daemon threads would keep a failed probe alive and its parent waiting
            // for a READY line that never comes: fail loudly and exit.
            e.printStackTrace();
            System.exit(1);
        }
    }

    private static void probe(String[] args) throws Exception {
        Path dataDir = Path.of(args[0]);
        int target = Integer.parseInt(args[1]);
        long holdAfterTargetMillis = Long.parseLong(args[2]);
        long maxHoldMillis = Long.parseLong(args[3]);

        InventoryServer inventory = InventoryServer.builder()
                .name("inventory")
                .dataDirectory(dataDir.resolve("inventory"))
                .stock("widget", 1_000_000_000)
                .port(0)
                // Reached in-process only; the token just keeps its HTTP port closed to writes.
                .serviceToken(BearerTokenFilter.randomToken())
                .build()
                .start();
        InProcessInventoryClient inProcess = new InProcessInventoryClient(inventory.service());
        HeldInventory held = new HeldInventory(inProcess, target, holdAfterTargetMillis, maxHoldMillis);
        OrderServer order = OrderServer.builder()
                .name("order")
                .dataDirectory(dataDir.resolve("orders"))
                .inventory(held)
                // Orders enter at a few hundred a second on a busy machine (each writes its idempotency
                // claim and its row first), so the first ones must still be waiting when the last arrive:
                // longer than the server's 30 s default cap on a request's deadline.
                .timeout(WAIT)
                // A key's lease must outlast the longest request, or a retry could take over a live one.
                .idempotencyLease(WAIT.plusMinutes(1))
                .extraRoutes(server -> server.maxDeadline(WAIT)
                        // Every order held at once is a request in flight: the default bound (1,024)
                        // would shed the rest as overloaded, and the target would never be reached.
                        .maxInFlight(target + 64)
                        // The load generator paces itself on this: it keeps only a window of orders entering.
                        .route(
                                "GET",
                                "/probe/arrived",
                                request -> Response.json(200, Map.of("arrived", held.arrived()))))
                .maxConcurrentInventoryCalls(target * 2)
                .port(0)
                .build()
                .start();
        // The baseline is taken with both services up and idle, so it holds their caches and pools.
        HeapSampler sampler = new HeapSampler();
        Thread sampling = new Thread(sampler, "heap-sampler");
        sampling.setDaemon(true);
        sampling.start();
        // Once every order is held, and before any is let go, what do they hold? (A full collection:
        // a pause of its own, taken while nothing is measured but memory.)
        Map<String, Object> liveAtPeak = new java.util.concurrent.ConcurrentHashMap<>();
        Thread.ofVirtual().name("live-heap-histogram").start(() -> {
            try {
                while (held.peak() < target) {
                    Thread.sleep(50);
                }
                Thread.sleep(Math.min(1_000, holdAfterTargetMillis / 3));
                liveAtPeak.putAll(LiveHeapHistogram.take(8));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        // stdout is this process's channel to the parent, not a log: logs go to stderr.
        System.out.println("READY " + order.port());
        System.out.flush();

        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        String line;
        while ((line = in.readLine()) != null && !line.equals("REPORT")) {
            // Only REPORT means anything.
        }
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("peakInFlight", held.peak());
        result.put("rampMillis", held.rampMillis());
        result.putAll(sampler.report());
        result.put("liveAtPeak", liveAtPeak);
        System.out.println("RESULT " + new ObjectMapper().writeValueAsString(result));
        System.out.flush();
        held.close();
        order.close();
        inventory.close();
        inProcess.close();
        System.exit(0);
    }

    /**
     * The heap's high-water marks: used (sampled every 10 ms, garbage included), and occupied right
     * after a collection (from the collector's own notifications: the closest the JVM tells to the
     * live set), against the occupancy after a full collection before the load.
     */
    static final class HeapSampler implements Runnable {
        private final List<MemoryPoolMXBean> heapPools = ManagementFactory.getMemoryPoolMXBeans().stream()
                .filter(pool -> pool.getType() == MemoryType.HEAP)
                .toList();
        private final java.util.Set<String> heapPoolNames =
                heapPools.stream().map(MemoryPoolMXBean::getName).collect(java.util.stream.Collectors.toSet());
        private final long baseline;
        private volatile long usedPeak;
        private volatile long afterGcPeak;

        HeapSampler() {
            System.gc();
            baseline = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
            for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
                if (gc instanceof javax.management.NotificationEmitter emitter) {
                    emitter.addNotificationListener(
                            (notification, handback) -> {
                                if (notification
                                        .getType()
                                        .equals(GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION)) {
                                    GarbageCollectionNotificationInfo info = GarbageCollectionNotificationInfo.from(
                                            (javax.management.openmbean.CompositeData) notification.getUserData());
                                    long after = info.getGcInfo().getMemoryUsageAfterGc().entrySet().stream()
                                            .filter(e -> heapPoolNames.contains(e.getKey()))
                                            .mapToLong(e -> e.getValue().getUsed())
                                            .sum();
                                    recordAfterGc(after);
                                }
                            },
                            null,
                            null);
                }
            }
        }

        private synchronized void recordAfterGc(long after) {
            afterGcPeak = Math.max(afterGcPeak, after);
        }

        @Override
        public void run() {
            while (true) {
                sample();
                try {
                    Thread.sleep(10);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }

        private synchronized void sample() {
            usedPeak = Math.max(
                    usedPeak,
                    ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
        }

        Map<String, Object> report() {
            sample();
            long gcCount = 0;
            long gcMillis = 0;
            for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
                gcCount += Math.max(0, gc.getCollectionCount());
                gcMillis += Math.max(0, gc.getCollectionTime());
            }
            Map<String, Object> report = new LinkedHashMap<>();
            report.put(
                    "heapMaxMb",
                    mb(ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getMax()));
            report.put("heapBaselineMb", mb(baseline));
            report.put("heapUsedPeakMb", mb(usedPeak));
            report.put("heapAfterGcPeakMb", mb(afterGcPeak));
            report.put("gcCount", gcCount);
            report.put("gcMillis", gcMillis);
            return report;
        }

        private static double mb(long bytes) {
            return Math.round(bytes / 1024.0 / 1024.0 * 10) / 10.0;
        }
    }
}
