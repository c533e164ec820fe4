package io.valerix.harness.fleet;

import io.valerix.core.jdbc.PostgresBinaries;
import io.valerix.core.jdbc.PostgresCluster;
import io.valerix.harness.link.LinkProxy;
import io.valerix.harness.services.ServicePair;
import io.valerix.harness.services.Storage;
import io.valerix.inventory.InventoryServer;
import io.valerix.order.OrderServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The services as processes: one inventory and N order instances, each its own child JVM
 * ({@link ServiceChild}) launched with the JDK the harness runs on, all on loopback, all order
 * instances on one order database. Any of them can be {@linkplain #kill killed with SIGKILL and
 * started again} on the same data and port, so clients reconnect to the same address.
 *
 * <p>Databases: H2 files under the data directory (one order instance only: an H2 file has one
 * owner), a private PostgreSQL cluster under {@code <dataDir>/postgres} that this fleet starts and
 * stops, or databases on an existing server. A private cluster belongs to the fleet, not to a
 * child, so killing a service never takes its database down.
 *
 * <p>Every process it starts, it stops: {@link #close()} stops the order instances, then
 * inventory, then the cluster; a shutdown hook does the same (SIGKILL, no grace) if the harness is
 * interrupted; and each child halts by itself when the harness dies ({@link ParentWatch}).
 * Thread-safe.
 */
public final class ServiceFleet implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ServiceFleet.class);
    /** The log file, in the data directory's parent, that the children's standard error goes to. */
    public static final String LOG_FILE = "services.log";

    /**
     * How the fleet runs: the services a {@link ServicePair} would run, each in its own process.
     *
     * @param orderInstances how many order processes share the order database, 1..16
     * @param services ports, gremlin, seed, timeout, stock, tokens, data directory and databases, as
     *     for a pair and validated there; {@code services.orderPort()} is the first order instance's
     *     port (the next ones count up), or 0 for free ports. The children run the default health
     *     thresholds and no warm-up orders, and archive no journal (on PostgreSQL the server's WAL is
     *     the archive), whatever {@code services} says about those.
     * @param childLog where the children's standard error goes
     * @param linkProxy whether the order instances reach inventory through a {@link LinkProxy}, so
     *     that link faults can be played between them
     */
    public record Settings(int orderInstances, ServicePair.Settings services, Path childLog, boolean linkProxy) {

        /** Settings without a link proxy. */
        public Settings(int orderInstances, ServicePair.Settings services, Path childLog) {
            this(orderInstances, services, childLog, false);
        }

        /** These settings, with the order instances reaching inventory through a link proxy. */
        public Settings withLinkProxy() {
            return new Settings(orderInstances, services, childLog, true);
        }

        public Settings {
            Objects.requireNonNull(services, "services");
            Objects.requireNonNull(childLog, "childLog");
            if (orderInstances < 1 || orderInstances > 16) {
                throw new IllegalArgumentException("orderInstances must be 1..16, but was " + orderInstances);
            }
            if (orderInstances > 1 && services.storage().engine() != Storage.Engine.POSTGRES) {
                throw new IllegalArgumentException(
                        "several order instances share one order database, which takes PostgreSQL"
                                + " (--db postgres or --order-db-url): an H2 file has one owner, but " + orderInstances
                                + " instances were asked for on "
                                + services.storage());
            }
        }
    }

    private final Settings settings;
    private final PostgresCluster cluster;
    private final ServiceProcess inventory;
    private final List<ServiceProcess> orders;
    private final Thread shutdownHook;
    private volatile LinkProxy link;
    private int nextInTurn;

    private ServiceFleet(
            Settings settings, PostgresCluster cluster, ServiceProcess inventory, List<ServiceProcess> orders) {
        this.settings = settings;
        this.cluster = cluster;
        this.inventory = inventory;
        this.orders = orders;
        this.shutdownHook = new Thread(this::destroyAll, "valerix-fleet-shutdown");
    }

    /**
     * Starts the databases, inventory, then the order instances (in parallel), and returns once all
     * serve.
     *
     * @throws IllegalStateException if a service does not start (its output is in the child log)
     */
    public static ServiceFleet start(Settings settings) throws InterruptedException {
        createDirectories(settings.services().dataDir());
        createDirectories(settings.childLog().toAbsolutePath().getParent());
        Map<String, String> environment = new LinkedHashMap<>();
        environment.put(ServicePair.ADMIN_TOKEN_ENV, settings.services().adminToken());
        environment.put(ServicePair.SERVICE_TOKEN_ENV, settings.services().serviceToken());
        PostgresCluster cluster = null;
        List<String> inventoryData;
        List<String> orderData;
        Storage storage = settings.services().storage();
        if (storage.engine() == Storage.Engine.H2) {
            inventoryData = List.of("--data-dir", settings.services().dataDir().toString());
            orderData = inventoryData;
        } else if (storage.isExistingServer()) {
            environment.putAll(storage.credentialVariables());
            inventoryData = List.of("--db-url", storage.inventoryUrl());
            orderData = List.of("--db-url", storage.orderUrl());
        } else {
            cluster = PostgresCluster.builder(settings.services().dataDir().resolve(Storage.CLUSTER_DIRECTORY))
                    .binaries(PostgresBinaries.require())
                    .shutdownGrace(Duration.ofSeconds(10))
                    .start();
            inventoryData = List.of("--db-url", cluster.createDatabase(InventoryServer.DATABASE_NAME));
            orderData = List.of("--db-url", cluster.createDatabase(OrderServer.DATABASE_NAME));
            for (String variable : List.of(Storage.ORDER_USER_ENV, Storage.INVENTORY_USER_ENV)) {
                environment.put(variable, PostgresCluster.SUPERUSER);
            }
            for (String variable : List.of(Storage.ORDER_PASSWORD_ENV, Storage.INVENTORY_PASSWORD_ENV)) {
                environment.put(variable, cluster.password());
            }
        }
        List<String> inventoryArgs = new ArrayList<>(List.of(
                "--service",
                "inventory",
                "--gremlin",
                settings.services().gremlin().toText(),
                "--seed",
                Long.toString(settings.services().seed()),
                "--stock",
                settings.services().stock().entrySet().stream()
                        .map(e -> e.getKey() + "=" + e.getValue())
                        .collect(Collectors.joining(","))));
        inventoryArgs.addAll(inventoryData);
        ServiceProcess inventory = new ServiceProcess(
                "inventory", inventoryArgs, settings.services().inventoryPort(), environment, settings.childLog());
        List<ServiceProcess> orders = new ArrayList<>();
        ServiceFleet fleet = new ServiceFleet(settings, cluster, inventory, orders);
        Runtime.getRuntime().addShutdownHook(fleet.shutdownHook);
        try {
            inventory.start();
            URI inventoryForOrders = inventory.uri();
            if (settings.linkProxy()) {
                // Between the order instances and inventory; it outlives inventory's restarts on the same port.
                fleet.link = LinkProxy.start(new InetSocketAddress(
                        InetAddress.getLoopbackAddress(), inventory.uri().getPort()));
                inventoryForOrders = fleet.link.uri();
            }
            for (int i = 1; i <= settings.orderInstances(); i++) {
                List<String> orderArgs = new ArrayList<>(List.of(
                        "--service",
                        "order",
                        "--inventory-url",
                        inventoryForOrders.toString(),
                        "--timeout",
                        settings.services().timeout().toString()));
                orderArgs.addAll(orderData);
                int port = settings.services().orderPort() == 0
                        ? 0
                        : settings.services().orderPort() + i - 1;
                orders.add(new ServiceProcess(orderInstanceId(i), orderArgs, port, environment, settings.childLog()));
            }
            startAll(orders);
        } catch (InterruptedException | RuntimeException e) {
            fleet.close();
            throw e;
        }
        log.info("fleet up: inventory {}, order {}", inventory.uri(), fleet.orderUris());
        return fleet;
    }

    /** The stable id of order instance {@code n} (1-based): {@code order-n}, the same across its restarts. */
    public static String orderInstanceId(int n) {
        return "order-" + n;
    }

    /** Starts them in parallel and waits for all; the first failure is thrown. */
    private static void startAll(List<ServiceProcess> processes) throws InterruptedException {
        List<Thread> starting = new ArrayList<>();
        List<RuntimeException> failures = java.util.Collections.synchronizedList(new ArrayList<>());
        for (ServiceProcess p : processes) {
            starting.add(Thread.ofVirtual().name("start-" + p.instanceId()).start(() -> {
                try {
                    p.start();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } catch (RuntimeException e) {
                    failures.add(e);
                }
            }));
        }
        for (Thread t : starting) {
            t.join();
        }
        if (!failures.isEmpty()) {
            throw failures.get(0);
        }
    }

    public Settings settings() {
        return settings;
    }

    public URI inventoryUri() {
        return inventory.uri();
    }

    /** The proxy between the order instances and inventory, if the settings asked for one. */
    public Optional<LinkProxy> linkProxy() {
        return Optional.ofNullable(link);
    }

    /** The order instances' addresses, {@code order-1} first; the same after restarts. */
    public List<URI> orderUris() {
        return orders.stream().map(ServiceProcess::uri).toList();
    }

    /** The instance ids of the order processes, {@code order-1} first. */
    public List<String> orderInstanceIds() {
        return orders.stream().map(ServiceProcess::instanceId).toList();
    }

    /**
     * What one kill did, on the monotonic clock ({@link System#nanoTime()}).
     *
     * @param instanceId the process killed: {@code inventory} or {@code order-n}
     * @param killedNanos when SIGKILL was sent
     * @param goneNanos when the process was seen gone
     * @param servingNanos when its successor announced that it serves
     */
    public record Kill(String instanceId, long killedNanos, long goneNanos, long servingNanos) {}

    /**
     * Kills a service with SIGKILL ({@code kill -9}) and starts it again on the same data and port.
     *
     * @param service {@code inventory} or {@code order}
     * @param instance for {@code order}: the instance (1-based), or 0 for the next one in turn
     * @throws IllegalStateException if the restart fails (the run cannot go on meaningfully)
     */
    public Kill kill(String service, int instance) throws InterruptedException {
        ServiceProcess victim;
        if (service.equals("inventory")) {
            victim = inventory;
        } else {
            if (instance > orders.size()) {
                throw new IllegalArgumentException(
                        "there are " + orders.size() + " order instances, so order-" + instance + " does not exist");
            }
            synchronized (this) {
                victim = orders.get(instance > 0 ? instance - 1 : nextInTurn++ % orders.size());
            }
        }
        long killed = System.nanoTime();
        victim.kill();
        long gone = System.nanoTime();
        log.info("killed {} with SIGKILL; starting it again on the same data and port", victim.instanceId());
        victim.start();
        long serving = System.nanoTime();
        log.info("{} serves again after {} ms", victim.instanceId(), (serving - killed) / 1_000_000);
        return new Kill(victim.instanceId(), killed, gone, serving);
    }

    /** Stops the order instances, then inventory, then the private cluster. Idempotent. */
    @Override
    public void close() {
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException e) {
            // Already shutting down: the hook runs too, and both stops are idempotent.
        }
        List<Thread> stopping = new ArrayList<>();
        for (ServiceProcess p : orders) {
            stopping.add(Thread.ofVirtual().start(p::stop));
        }
        for (Thread t : stopping) {
            try {
                t.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                destroyAll();
            }
        }
        LinkProxy proxy = link;
        if (proxy != null) {
            proxy.close();
        }
        inventory.stop();
        if (cluster != null) {
            cluster.close();
        }
    }

    private void destroyAll() {
        for (ServiceProcess p : orders) {
            p.destroyForcibly();
        }
        inventory.destroyForcibly();
    }

    private static void createDirectories(Path dir) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + dir, e);
        }
    }
}
