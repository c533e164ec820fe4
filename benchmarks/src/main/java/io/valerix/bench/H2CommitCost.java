package io.valerix.bench;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.valerix.core.idempotency.IdempotencyRecord;
import io.valerix.core.idempotency.IdempotencyStore;
import io.valerix.core.idempotency.StoredResponse;
import io.valerix.core.jdbc.H2Database;
import io.valerix.core.jdbc.SchemaMigrations;
import io.valerix.inventory.InventoryConfig;
import io.valerix.inventory.InventoryService;
import io.valerix.order.OrderStatus;
import io.valerix.order.internal.JdbcOrderStore;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * What one order's durable commits cost on H2, per storage variant: the real stores (idempotency
 * claim and stored answer, order insert and settle, inventory reservation) driven from several
 * threads, with no HTTP in between, measured as
 *
 * <ul>
 *   <li>bytes handed to {@code write()} per order ({@code /proc/self/io wchar}): what MVStore
 *       serialises at every commit, independent of how busy the machine is;
 *   <li>CPU milliseconds per order (the process's CPU time): the cost the serialisation adds;
 *   <li>orders per second (wall clock), which a loaded machine distorts.
 * </ul>
 *
 * <p>Run: {@code java -cp benchmarks/target/benchmarks.jar io.valerix.bench.H2CommitCost [orders]
 * [threads] [variant...]}; variants: {@code baseline}, {@code page2k}, {@code page8k},
 * {@code page16k}, {@code noidemidx} (the idempotency table without its two secondary indexes), {@code seqnocache}
 * (the fencing-token sequence with CACHE 1, as before db/idempotency/V2), or
 * H2 settings such as {@code RETENTION_TIME=1000+AUTO_COMPACT_FILL_RATE=50}.
 * Prints one line per variant. Commits stay durable in every variant ({@code WRITE_DELAY=0}).
 */
public final class H2CommitCost {

    private static final byte[] ANSWER =
            ("{\"orderId\":\"k-00000000-0000-0000-0000-000000000000\",\"sku\":\"sku-1\",\"quantity\":1,"
                            + "\"status\":\"CONFIRMED\",\"message\":\"Reserved 1 x sku-1.\",\"createdAt\":\"2026-12-02T20:51:33.993786Z\","
                            + "\"updatedAt\":\"2026-12-02T20:51:33.993786Z\"}")
                    .getBytes(StandardCharsets.UTF_8);
    private static final Map<String, List<String>> HEADERS = Map.of(
            "Content-Type",
            List.of("application/json"),
            "Location",
            List.of("/orders/k-00000000-0000-0000-0000-000000000000"));

    private H2CommitCost() {}

    public static void main(String[] args) throws Exception {
        int orders = args.length > 0 ? Integer.parseInt(args[0]) : 3000;
        int threads = args.length > 1 ? Integer.parseInt(args[1]) : 8;
        List<String> variants = args.length > 2
                ? List.of(args).subList(2, args.length)
                : List.of("seqnocache", "baseline", "noidemidx");
        // One unreported round first: the JIT warms up on the code every variant shares, so the first
        // variant measured is not the only one measured cold.
        run(variants.get(0), Math.min(orders, 2000), threads);
        System.out.printf(
                "%-10s %8s %10s %12s %12s %12s%n",
                "variant", "orders", "orders/s", "cpu ms/order", "KB written/order", "file KB");
        for (String variant : variants) {
            Result result = run(variant, orders, threads);
            System.out.printf(
                    "%-10s %8d %10.1f %12.3f %12.1f %12d%n",
                    variant,
                    orders,
                    result.ordersPerSecond,
                    result.cpuMsPerOrder,
                    result.bytesPerOrder / 1024.0,
                    result.fileBytes / 1024);
        }
    }

    record Result(double ordersPerSecond, double cpuMsPerOrder, double bytesPerOrder, long fileBytes) {}

    static Result run(String variant, int orders, int threads) throws Exception {
        Path dir = Files.createTempDirectory("h2-commit-cost-");
        try (HikariDataSource orderDb = open(dir, "orders", variant, threads + 2);
                HikariDataSource inventoryDb = open(dir, "inventory", variant, threads + 2)) {
            JdbcOrderStore orderStore = new JdbcOrderStore(orderDb);
            SchemaMigrations.migrate(orderDb, IdempotencyStore.SCHEMA);
            if (variant.equals("seqnocache")) {
                // As main had it before db/idempotency/V2: every nextval is a store commit of its own.
                try (Connection c = orderDb.getConnection();
                        Statement s = c.createStatement()) {
                    s.execute("ALTER SEQUENCE idempotency_fencing_token CACHE 1");
                }
            }
            if (variant.equals("noidemidx")) {
                try (Connection c = orderDb.getConnection();
                        Statement s = c.createStatement()) {
                    s.execute("DROP INDEX idempotency_record_expires_at");
                    s.execute("DROP INDEX idempotency_record_lease_expires_at");
                }
            }
            IdempotencyStore idempotency = IdempotencyStore.of(orderDb);
            InventoryConfig.Builder stock = InventoryConfig.builder();
            for (int i = 0; i < 16; i++) {
                stock.stock("sku-" + i, 1_000_000_000);
            }
            InventoryService inventory = InventoryService.create(inventoryDb, stock.build());

            AtomicLong next = new AtomicLong();
            runOrders("warm", Math.min(500, orders), threads, next, idempotency, orderStore, inventory);
            long cpuBefore = processCpuNanos();
            long writtenBefore = writtenBytes();
            long start = System.nanoTime();
            runOrders("order", orders, threads, next, idempotency, orderStore, inventory);
            double seconds = (System.nanoTime() - start) / 1e9;
            long cpu = processCpuNanos() - cpuBefore;
            long written = writtenBytes() - writtenBefore;
            long fileBytes = Files.size(dir.resolve("orders").resolve("orders.mv.db"))
                    + Files.size(dir.resolve("inventory").resolve("inventory.mv.db"));
            return new Result(orders / seconds, cpu / 1e6 / orders, (double) written / orders, fileBytes);
        } finally {
            try (Stream<Path> paths = Files.walk(dir)) {
                for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    private static void runOrders(
            String prefix,
            int orders,
            int threads,
            AtomicLong next,
            IdempotencyStore idempotency,
            JdbcOrderStore orderStore,
            InventoryService inventory)
            throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            AtomicLong remaining = new AtomicLong(orders);
            List<Future<?>> workers = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                workers.add(pool.submit(() -> {
                    while (remaining.getAndDecrement() > 0) {
                        long n = next.incrementAndGet();
                        placeOrder(prefix + "-" + n, "sku-" + (n % 16), idempotency, orderStore, inventory);
                    }
                    return null;
                }));
            }
            for (Future<?> worker : workers) {
                worker.get();
            }
        } finally {
            pool.shutdownNow();
        }
    }

    /** The normal path's statements and commits, in the order the services run them today. */
    private static void placeOrder(
            String key,
            String sku,
            IdempotencyStore idempotency,
            JdbcOrderStore orderStore,
            InventoryService inventory) {
        Instant now = Instant.now();
        IdempotencyRecord claim = IdempotencyRecord.inProgress(
                "POST /orders", key, "a".repeat(64), idempotency.nextFencingToken(), now, now.plusSeconds(30));
        if (!idempotency.insert(claim)) {
            throw new IllegalStateException("key " + key + " taken");
        }
        orderStore.find(key);
        orderStore.insertPending(key, sku, 1, "Order " + key + " is waiting for inventory.", now);
        inventory.reserve(key, sku, 1);
        orderStore.settle(key, OrderStatus.CONFIRMED, "Reserved 1 x " + sku + ".", Instant.now());
        orderStore.find(key);
        idempotency.replace(
                claim.fencingToken(),
                claim.completed(
                        new StoredResponse(201, HEADERS, ANSWER),
                        Instant.now(),
                        Instant.now().plusSeconds(86_400)));
    }

    private static HikariDataSource open(Path dir, String name, String variant, int poolSize) throws IOException {
        Path directory = Files.createDirectories(dir.resolve(name));
        String settings = switch (variant) {
            case "baseline", "noidemidx", "seqnocache" -> "";
            case "page2k" -> ";PAGE_SIZE=2048";
            case "page8k" -> ";PAGE_SIZE=8192";
            case "page16k" -> ";PAGE_SIZE=16384";
            // Any other variant is H2 settings, e.g. RETENTION_TIME=1000+AUTO_COMPACT_FILL_RATE=50.
            default -> {
                if (!variant.matches("[A-Z_]+=[0-9A-Za-z]+(\\+[A-Z_]+=[0-9A-Za-z]+)*")) {
                    throw new IllegalArgumentException("unknown variant " + variant);
                }
                yield ";" + variant.replace('+', ';');
            }
        };
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(H2Database.jdbcUrl(directory, name) + settings);
        config.setUsername("sa");
        config.setPassword("");
        config.setMaximumPoolSize(poolSize);
        config.setAutoCommit(true);
        return new HikariDataSource(config);
    }

    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    /** Bytes this process passed to write() so far (Linux; 0 elsewhere). */
    private static long writtenBytes() throws IOException {
        Path io = Path.of("/proc/self/io");
        if (!Files.isReadable(io)) {
            return 0;
        }
        for (String line : Files.readAllLines(io)) {
            if (line.startsWith("wchar:")) {
                return Long.parseLong(line.substring("wchar:".length()).strip());
            }
        }
        return 0;
    }
}
