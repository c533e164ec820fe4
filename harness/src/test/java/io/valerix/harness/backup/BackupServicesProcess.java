package io.valerix.harness.backup;

import io.valerix.core.gremlin.GremlinSpec;
import io.valerix.core.health.HealthConfig;
import io.valerix.core.testing.ChildJvmProtocol;
import io.valerix.harness.services.ServicePair;
import io.valerix.harness.services.Storage;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * The child JVM of {@link BackupAcceptanceTest}: both services as the harness runs them (journal
 * on, archiving every second), on free ports, until killed. Prints {@code READY <order> <inventory>}
 * on stdout once serving; logs go to stderr ({@link ChildJvmProtocol}). Arguments: data directory, admin token, and {@code
 * postgres} for a private PostgreSQL cluster under the data directory (H2 otherwise).
 */
public final class BackupServicesProcess {

    private BackupServicesProcess() {}

    public static void main(String[] args) throws Exception {
        PrintStream out = ChildJvmProtocol.begin();
        Map<String, Integer> stock = new java.util.LinkedHashMap<>();
        for (String pair : OrderLoad.STOCK.split(",")) {
            String[] parts = pair.split("=");
            stock.put(parts[0], Integer.parseInt(parts[1]));
        }
        // Never closed: the process is meant to die with everything open, as a crash would.
        ServicePair.Settings settings = new ServicePair.Settings(
                0,
                0,
                GremlinSpec.none(),
                1,
                Duration.ofSeconds(5),
                stock,
                args[1],
                Path.of(args[0]),
                HealthConfig.defaults());
        if (args.length > 2 && args[2].equals("postgres")) {
            settings = settings.withStorage(Storage.privatePostgres());
        }
        ServicePair pair = ServicePair.start(settings, server -> {});
        out.println("READY " + pair.orderUri() + " " + pair.inventoryUri());
        ChildJvmProtocol.liveUntilKilled();
    }
}
