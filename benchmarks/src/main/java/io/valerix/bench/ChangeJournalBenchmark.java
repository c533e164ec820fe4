package io.valerix.bench;

import com.zaxxer.hikari.HikariDataSource;
import io.valerix.core.jdbc.H2Database;
import io.valerix.core.journal.ChangeJournal;
import io.valerix.core.journal.JournaledTable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.InstantSource;
import java.util.Comparator;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The cost of the change journal on a durable H2 file database ({@code WRITE_DELAY=0}, as the
 * services run): one single-row update per operation, written the way the stores write, through
 * {@link ChangeJournal#write}. With the journal {@code off} that is one auto-committed statement
 * (the stores' behaviour without a journal); {@code on} it is a transaction with the update, the
 * row's after-image and the counter row update. Each thread updates random rows of 4096, so the
 * only lock the threads share is the journal's counter row: {@link #fourWriters()} against {@link
 * #oneWriter()} shows what serializing commits on it costs.
 *
 * <p>Run: {@code java -jar benchmarks/target/benchmarks.jar ChangeJournalBenchmark} (after
 * {@code ./mvnw -DskipTests package}); use a JDK >= 21. docs/backup.md has the figures.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = "-Xmx1g")
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 3)
public class ChangeJournalBenchmark {

    private static final int ROWS = 4096;
    private static final JournaledTable ITEM = JournaledTable.of("bench_item", "id");

    @Param({"off", "on"})
    public String journal;

    private Path directory;
    private HikariDataSource db;
    private ChangeJournal changeJournal;

    /** Each thread's own random row ids. */
    @State(Scope.Thread)
    public static class Rows {
        final SplittableRandom random = new SplittableRandom();
    }

    @Setup(Level.Trial)
    public void setUp() throws IOException, SQLException {
        directory = Files.createTempDirectory("journal-bench-");
        db = H2Database.open(directory, "bench", 8);
        changeJournal = journal.equals("on") ? ChangeJournal.on(InstantSource.system()) : ChangeJournal.off();
        changeJournal.install(db);
        try (Connection c = db.getConnection();
                Statement s = c.createStatement()) {
            s.execute("CREATE TABLE bench_item (id INTEGER NOT NULL PRIMARY KEY, n BIGINT NOT NULL)");
            try (PreparedStatement insert = c.prepareStatement("INSERT INTO bench_item (id, n) VALUES (?, 0)")) {
                for (int id = 1; id <= ROWS; id++) {
                    insert.setInt(1, id);
                    insert.addBatch();
                }
                insert.executeBatch();
            }
        }
    }

    /** The archiver would ship and delete these; without it the table would only grow. */
    @TearDown(Level.Iteration)
    public void pruneJournal() throws SQLException {
        if (changeJournal.isOn()) {
            try (Connection c = db.getConnection();
                    Statement s = c.createStatement()) {
                s.executeUpdate("DELETE FROM valerix_journal");
            }
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        db.close();
        try (Stream<Path> files = Files.walk(directory)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(file);
            }
        }
    }

    @Benchmark
    @Threads(1)
    public int oneWriter(Rows rows) throws SQLException {
        return write(rows);
    }

    @Benchmark
    @Threads(4)
    public int fourWriters(Rows rows) throws SQLException {
        return write(rows);
    }

    private int write(Rows rows) throws SQLException {
        int id = 1 + rows.random.nextInt(ROWS);
        try (Connection c = db.getConnection();
                PreparedStatement update = c.prepareStatement("UPDATE bench_item SET n = n + 1 WHERE id = ?")) {
            update.setInt(1, id);
            return changeJournal.write(c, update::executeUpdate, ITEM.row(id));
        }
    }
}
