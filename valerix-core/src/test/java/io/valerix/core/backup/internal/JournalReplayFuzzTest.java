package io.valerix.core.backup.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.valerix.core.backup.ArchiveDamagedException;
import io.valerix.core.backup.SegmentInfo;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * Any journal rows a segment can carry replay onto a real H2 table, or the replayer refuses them
 * with one of its documented exceptions ({@link IllegalArgumentException} for a row that does not
 * fit the schema, {@link SQLException} for one the database refuses) and the table is as it was.
 */
class JournalReplayFuzzTest {

    private static Connection connection;

    @BeforeAll
    static void database() throws SQLException {
        connection = DriverManager.getConnection("jdbc:h2:mem:journal-replay-fuzz;DB_CLOSE_DELAY=-1");
        try (Statement ddl = connection.createStatement()) {
            ddl.execute(
                    "CREATE TABLE widgets (id VARCHAR(20) PRIMARY KEY, qty INT NOT NULL CONSTRAINT qty_not_negative CHECK (qty >= 0),"
                            + " price DECIMAL(10, 2), updated_at TIMESTAMP WITH TIME ZONE, made DATE, photo VARBINARY(16), in_stock BOOLEAN)");
        }
    }

    @AfterAll
    static void closeDatabase() throws SQLException {
        connection.close();
    }

    @FuzzTest(maxDuration = "60s")
    void anyJournalRowReplaysOrIsRefusedWithoutAChange(byte[] input) throws SQLException, IOException {
        List<JournalEntry> entries = entriesOf(new String(input, StandardCharsets.UTF_8));
        if (entries == null) {
            return;
        }
        try (Statement reset = connection.createStatement()) {
            reset.execute("DELETE FROM widgets");
            reset.execute("INSERT INTO widgets (id, qty, price) VALUES ('w-1', 5, 9.99)");
        }
        try (JournalReplayer replayer = new JournalReplayer(connection)) {
            for (JournalEntry entry : entries) {
                List<String> before = rows();
                try {
                    replayer.apply(entry);
                } catch (IllegalArgumentException | SQLException refused) {
                    assertThat(rows()).as("table after refusing %s", entry).isEqualTo(before);
                }
            }
        }
    }

    /** The rows as a segment would carry them, or null if the segment reader refuses them. */
    private static List<JournalEntry> entriesOf(String lines) throws IOException {
        long count = lines.lines().filter(line -> !line.isEmpty()).count();
        if (count == 0) {
            return null;
        }
        String header = "{\"format\":1,\"database\":\"shop\",\"firstSeq\":1,\"lastSeq\":" + count + "}\n";
        SegmentInfo info =
                new SegmentInfo("shop/segments/s.jsonl.gz", 1, count, Instant.EPOCH, Instant.EPOCH, "0".repeat(64), 1);
        try {
            return SegmentCodec.read(
                    SegmentFuzzTest.gzip((header + lines).getBytes(StandardCharsets.UTF_8)), "shop", info);
        } catch (ArchiveDamagedException damaged) {
            return null;
        }
    }

    private static List<String> rows() throws SQLException {
        List<String> rows = new ArrayList<>();
        try (Statement query = connection.createStatement();
                ResultSet result = query.executeQuery("SELECT * FROM widgets ORDER BY id")) {
            int columns = result.getMetaData().getColumnCount();
            while (result.next()) {
                StringBuilder row = new StringBuilder();
                for (int i = 1; i <= columns; i++) {
                    row.append(result.getString(i)).append('|');
                }
                rows.add(row.toString());
            }
        }
        return rows;
    }
}
