package io.valerix.inventory;

import com.zaxxer.hikari.HikariDataSource;
import io.valerix.core.testing.ChildJvmProtocol;
import io.valerix.core.testing.TestDatabase;
import java.io.PrintStream;

/**
 * The child JVM of {@link CrashRecoveryTest}: runs the inventory store on a data directory and
 * works it as fast as it can until it is killed.
 *
 * <p>Protocol on stdout, one line each: {@code READY} once the store is open, then {@code ACK
 * <orderId> <status> END} for every reserve or release, printed only after the call (and so its
 * commit) returned. The {@code END} marker tells a whole line from one cut short by the kill.
 * Everything else (logging) goes to stderr ({@link ChildJvmProtocol}).
 *
 * <p>Arguments: a name for this life (prefix of its order ids), worker threads, then the database
 * as {@link TestDatabase#toArguments()} wrote it (H2 files or a PostgreSQL URL).
 */
public final class CrashingInventoryProcess {

    static final String STOCK = "plenty-a=1000000,plenty-b=1000000,scarce=40";
    private static final String[] SKUS = {"plenty-a", "plenty-b", "scarce"};

    private CrashingInventoryProcess() {}

    public static void main(String[] args) throws Exception {
        PrintStream acks = ChildJvmProtocol.begin();
        String life = args[0];
        int threads = Integer.parseInt(args[1]);
        TestDatabase database = TestDatabase.fromArguments(args, 2);

        // Never closed: the process is meant to die with the pool open, as a crash would.
        HikariDataSource db = database.open(threads);
        InventoryService inventory = InventoryService.create(
                db, InventoryConfig.builder().stock(STOCK).build());
        acks.println("READY");

        for (int t = 0; t < threads; t++) {
            int thread = t;
            Thread.ofPlatform().name("worker-" + t).start(() -> work(inventory, life + "-t" + thread, acks));
        }
        ChildJvmProtocol.liveUntilKilled();
    }

    private static void work(InventoryService inventory, String prefix, PrintStream acks) {
        for (int i = 0; ; i++) {
            String orderId = prefix + "-" + i;
            if (i % 7 == 6) {
                // A cancellation that overtakes its reservation: the tombstone must survive, and the
                // late reserve must take nothing.
                ack(acks, inventory.release(orderId));
            }
            ack(acks, inventory.reserve(orderId, SKUS[i % SKUS.length], 1 + i % 3));
            if (i % 4 == 3) {
                ack(acks, inventory.release(orderId));
            }
        }
    }

    private static void ack(PrintStream acks, Reservation answer) {
        acks.println("ACK " + answer.orderId() + " " + answer.status() + " END");
    }
}
