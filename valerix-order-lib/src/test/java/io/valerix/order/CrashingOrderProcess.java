package io.valerix.order;

import io.valerix.core.testing.ChildJvmProtocol;
import io.valerix.core.testing.TestDatabase;
import java.io.PrintStream;
import java.net.URI;
import java.time.Duration;

/**
 * The child JVM of {@link OrderCrashRecoveryTest}: an order server on a data directory, serving
 * until it is killed.
 *
 * <p>Prints {@code READY <port>} on stdout once it serves; everything else (logging) goes to
 * stderr ({@link ChildJvmProtocol}). Arguments: inventory URI, order timeout and idempotency lease in milliseconds, then the
 * order database as {@link TestDatabase#toArguments()} wrote it (H2 files or a PostgreSQL URL).
 */
public final class CrashingOrderProcess {

    private CrashingOrderProcess() {}

    /** The instance id of the child, which its restart in the test process takes over. */
    static final String INSTANCE_ID = "order-crash-test";

    public static void main(String[] args) throws Exception {
        PrintStream protocol = ChildJvmProtocol.begin();

        // Never closed: the process is meant to die mid-request, as a crash would.
        OrderServer server = OrderServer.builder()
                .serviceToken(ServiceTokens.SERVICE_TOKEN)
                .dataSource(TestDatabase.fromArguments(args, 3).open(16))
                .inventory(URI.create(args[0]))
                .timeout(Duration.ofMillis(Long.parseLong(args[1])))
                .idempotencyLease(Duration.ofMillis(Long.parseLong(args[2])))
                .instanceId(INSTANCE_ID)
                .build()
                .start();
        protocol.println("READY " + server.port());

        ChildJvmProtocol.liveUntilKilled();
    }
}
