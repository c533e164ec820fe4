package io.valerix.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariDataSource;
import io.valerix.core.jdbc.H2Database;
import io.valerix.core.journal.ChangeJournal;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JournaledOwnTablesTest {

    @TempDir
    Path dir;

    private HikariDataSource dataSource;
    private ChangeJournal journal;

    @BeforeEach
    void open() throws SQLException {
        dataSource = H2Database.open(dir, "shop", 2);
        journal = JournaledOwnTables.install(dataSource);
    }

    @AfterEach
    void close() {
        dataSource.close();
    }

    @Test
    void eachWriteLeavesItsRowsInTheJournalInCommitOrder() throws SQLException {
        JournaledOwnTables.stock(journal, dataSource, "sku-1", 5);
        JournaledOwnTables.placeOrder(journal, dataSource, "o-1", "sku-1", 2);

        // the stock, the order (a transaction of its own), then stock and reservation in one transaction
        assertThat(journalRows())
                .containsExactly("1 stock sku-1 5", "2 orders o-1", "3 stock sku-1 3", "4 reservations o-1");
    }

    @Test
    void aReservationThatFailsLeavesNeitherItsWritesNorItsJournalRows() throws SQLException {
        JournaledOwnTables.stock(journal, dataSource, "sku-1", 1);

        assertThatThrownBy(() -> JournaledOwnTables.placeOrder(journal, dataSource, "o-1", "sku-1", 2))
                .isInstanceOf(SQLException.class)
                .hasMessageContaining("not enough sku-1");

        // the order's own transaction committed; the stock and reservation rolled back, journal rows too
        assertThat(journalRows()).containsExactly("1 stock sku-1 1", "2 orders o-1");
        assertThat(count("SELECT COUNT(*) FROM reservations")).isZero();
        assertThat(count("SELECT available FROM stock WHERE sku = 'sku-1'")).isEqualTo(1);
    }

    /** Each journal row as "seq table key [available]": what the archiver will ship. */
    private List<String> journalRows() throws SQLException {
        List<String> rows = new ArrayList<>();
        try (Connection c = dataSource.getConnection();
                Statement s = c.createStatement();
                ResultSet r = s.executeQuery(
                        "SELECT seq, table_name, row_key, row_image FROM valerix_journal ORDER BY seq")) {
            while (r.next()) {
                String key = r.getString("row_key").replaceAll(".*:\"([^\"]*)\".*", "$1");
                String image = r.getString("row_image");
                String available = image != null && image.contains("\"available\":")
                        ? " " + image.replaceAll(".*\"available\":(\\d+).*", "$1")
                        : "";
                rows.add(r.getLong("seq") + " " + r.getString("table_name") + " " + key + available);
            }
        }
        return rows;
    }

    private int count(String sql) throws SQLException {
        try (Connection c = dataSource.getConnection();
                Statement s = c.createStatement();
                ResultSet r = s.executeQuery(sql)) {
            r.next();
            return r.getInt(1);
        }
    }
}
