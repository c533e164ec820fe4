package io.valerix.core.backup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.valerix.core.journal.ChangeJournal;
import io.valerix.core.journal.JournaledTable;
import io.valerix.core.testing.ManualWallClock;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChangeJournalTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant T0 = Instant.parse("2025-06-01T12:00:00Z");

    @TempDir
    Path dir;

    record Row(long seq, Instant at, String table, String op, JsonNode key, JsonNode image) {}

    @Test
    void aWriteAppendsItsAfterImageInTheSameTransaction() throws Exception {
        ManualWallClock clock = new ManualWallClock(T0);
        try (Widgets widgets = new Widgets(dir, "w", ChangeJournal.on(clock), 2)) {
            // When a widget is written and then deleted
            widgets.put("a", 7);
            clock.advance(Duration.ofSeconds(1));
            widgets.delete("a");

            // Then the journal holds its after-image, then a delete, numbered 1 and 2
            List<Row> rows = journal(widgets);
            assertThat(rows).extracting(Row::seq).containsExactly(1L, 2L);
            Row put = rows.get(0);
            assertThat(put.op()).isEqualTo("PUT");
            assertThat(put.table()).isEqualTo("widget");
            assertThat(put.at()).isEqualTo(T0);
            assertThat(put.key().toString()).isEqualTo("{\"id\":\"a\"}");
            assertThat(put.image().get("n").asLong()).isEqualTo(7);
            assertThat(put.image().get("note").asText()).isEqualTo("note 'of' a \u00e9\u20ac");
            assertThat(put.image().get("data").asText()).isEqualTo("AAEH/w==");
            assertThat(put.image().get("price").asText()).isEqualTo("12.3456");
            assertThat(put.image().get("at").asText()).isEqualTo("2025-01-02T03:04:05.123456Z");
            Row delete = rows.get(1);
            assertThat(delete.op()).isEqualTo("DELETE");
            assertThat(delete.image()).isNull();
            assertThat(delete.at()).isEqualTo(T0.plusSeconds(1));
            assertThat(counter(widgets)).isEqualTo(2);
        }
    }

    @Test
    void aRolledBackWriteLeavesNeitherJournalRowNorHole() throws Exception {
        try (Widgets widgets = new Widgets(dir, "w", ChangeJournal.on(new ManualWallClock(T0)), 2)) {
            widgets.put("a", 1);
            // When a transaction captures and then rolls back
            try (Connection c = widgets.db.getConnection()) {
                c.setAutoCommit(false);
                try (PreparedStatement update = c.prepareStatement("UPDATE widget SET n = 99 WHERE id = 'a'")) {
                    update.executeUpdate();
                }
                widgets.journal.capture(c, Widgets.WIDGET.row("a"));
                c.rollback();
                c.setAutoCommit(true);
            }
            widgets.put("b", 2);

            // Then the next write takes the number the rolled-back one had
            assertThat(journal(widgets)).extracting(Row::seq).containsExactly(1L, 2L);
            assertThat(journal(widgets).get(1).key().get("id").asText()).isEqualTo("b");
        }
    }

    @Test
    void concurrentWritersGetNumbersWithoutHolesInCommitOrder() throws Exception {
        int threads = 8;
        int perThread = 60;
        try (Widgets widgets = new Widgets(dir, "w", ChangeJournal.on(java.time.InstantSource.system()), threads)) {
            // When many writers bump one row at once, each capturing what it wrote
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            CountDownLatch start = new CountDownLatch(1);
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                done.add(pool.submit(() -> {
                    start.await();
                    for (int i = 0; i < perThread; i++) {
                        widgets.bumpTally();
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> future : done) {
                future.get(60, TimeUnit.SECONDS);
            }
            pool.shutdown();

            // Then the numbers run 1..N without a hole, and row k holds the k-th committed value:
            // numbering follows commit order, and time never goes back
            List<Row> rows = journal(widgets);
            assertThat(rows).hasSize(threads * perThread);
            for (int k = 0; k < rows.size(); k++) {
                assertThat(rows.get(k).seq()).isEqualTo(k + 1);
                assertThat(rows.get(k).image().get("total").asLong())
                        .as("value at seq %d", k + 1)
                        .isEqualTo(k + 1);
                if (k > 0) {
                    assertThat(rows.get(k).at())
                            .isAfterOrEqualTo(rows.get(k - 1).at());
                }
            }
        }
    }

    @Test
    void timeNeverGoesBackEvenWhenTheClockDoes() throws Exception {
        ManualWallClock clock = new ManualWallClock(T0);
        try (Widgets widgets = new Widgets(dir, "w", ChangeJournal.on(clock), 2)) {
            widgets.put("a", 1);
            // When the clock steps back an hour
            clock.set(T0.minus(Duration.ofHours(1)));
            widgets.put("b", 2);

            // Then the later write is stamped no earlier than the one before it
            assertThat(journal(widgets)).extracting(Row::at).containsExactly(T0, T0);
        }
    }

    @Test
    void allRowsOfOneCaptureShareOneTimeAndFollowInOrder() throws Exception {
        try (Widgets widgets = new Widgets(dir, "w", ChangeJournal.on(new ManualWallClock(T0)), 2)) {
            widgets.put("a", 1);
            try (Connection c = widgets.db.getConnection()) {
                c.setAutoCommit(false);
                widgets.journal.capture(c, Widgets.TALLY.row(1), Widgets.WIDGET.row("a"), Widgets.WIDGET.row("gone"));
                c.commit();
                c.setAutoCommit(true);
            }
            List<Row> rows = journal(widgets);
            assertThat(rows).extracting(Row::seq).containsExactly(1L, 2L, 3L, 4L);
            assertThat(rows.subList(1, 4)).extracting(Row::table).containsExactly("tally", "widget", "widget");
            assertThat(rows.subList(1, 4)).extracting(Row::op).containsExactly("PUT", "PUT", "DELETE");
            assertThat(rows.subList(1, 4)).extracting(Row::at).containsOnly(T0);
        }
    }

    @Test
    void captureOutsideATransactionIsRefused() throws Exception {
        try (Widgets widgets = new Widgets(dir, "w", ChangeJournal.on(new ManualWallClock(T0)), 2);
                Connection c = widgets.db.getConnection()) {
            assertThatThrownBy(() -> widgets.journal.capture(c, Widgets.WIDGET.row("a")))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("auto-commit");
        }
    }

    @Test
    void aWriteThatChangesNothingIsNotJournaled() throws Exception {
        try (Widgets widgets = new Widgets(dir, "w", ChangeJournal.on(new ManualWallClock(T0)), 2)) {
            widgets.delete("never-there");
            assertThat(journal(widgets)).isEmpty();
        }
    }

    @Test
    void offWritesInAutoCommitAndNeedsNoJournalTables() throws Exception {
        try (Widgets widgets = new Widgets(dir, "w", ChangeJournal.off(), 2)) {
            widgets.put("a", 1);
            try (Connection c = widgets.db.getConnection();
                    PreparedStatement delete = c.prepareStatement("DELETE FROM widget WHERE id = 'a'")) {
                // A write through an off journal runs as the bare statement: still in auto-commit
                assertThat(widgets.journal.write(
                                c,
                                () -> {
                                    assertThat(c.getAutoCommit()).isTrue();
                                    return delete.executeUpdate();
                                },
                                Widgets.WIDGET.row("a")))
                        .isEqualTo(1);
            }
            assertThat(widgets.contents()).isEmpty();
            try (Connection c = widgets.db.getConnection();
                    ResultSet tables = c.getMetaData().getTables(null, null, "valerix_journal%", null)) {
                assertThat(tables.next()).isFalse();
            }
        }
    }

    @Test
    void tableNamesMustBePlainIdentifiers() {
        assertThatThrownBy(() -> JournaledTable.of("orders; DROP TABLE x", "id"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("orders; DROP TABLE x");
        assertThatThrownBy(() -> JournaledTable.of("orders"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("at least one column");
        assertThatThrownBy(() -> JournaledTable.of("orders", "a", "b").row("x"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("1 key values");
    }

    static List<Row> journal(Widgets widgets) throws SQLException {
        List<Row> rows = new ArrayList<>();
        try (Connection c = widgets.db.getConnection();
                PreparedStatement read = c.prepareStatement(
                        "SELECT seq, committed_at, table_name, op, row_key, row_image FROM valerix_journal ORDER BY seq");
                ResultSet found = read.executeQuery()) {
            while (found.next()) {
                try {
                    String image = found.getString(6);
                    rows.add(new Row(
                            found.getLong(1),
                            found.getObject(2, OffsetDateTime.class).toInstant(),
                            found.getString(3),
                            found.getString(4),
                            JSON.readTree(found.getString(5)),
                            image == null ? null : JSON.readTree(image)));
                } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                    throw new AssertionError(e);
                }
            }
        }
        return rows;
    }

    static long counter(Widgets widgets) throws SQLException {
        try (Connection c = widgets.db.getConnection();
                PreparedStatement read = c.prepareStatement("SELECT last_seq FROM valerix_journal_counter");
                ResultSet found = read.executeQuery()) {
            found.next();
            return found.getLong(1);
        }
    }
}
