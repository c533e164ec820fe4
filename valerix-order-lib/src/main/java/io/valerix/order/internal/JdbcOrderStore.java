package io.valerix.order.internal;

import io.valerix.core.backup.ChangeJournal;
import io.valerix.core.backup.JournaledTable;
import io.valerix.core.jdbc.DeadlineBoundDataSource;
import io.valerix.core.jdbc.SchemaMigrations;
import io.valerix.order.Order;
import io.valerix.order.OrderStatus;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * Orders in a relational database. The primary key on {@code order_id} makes the first insert
 * win across any number of order-service instances, and every status change is conditional on the
 * order still being {@code PENDING}, so two settlers can never both change it.
 *
 * <p>With a {@link ChangeJournal} on, each write runs in a transaction with its journal row; off,
 * each is one auto-committed statement.
 */
public final class JdbcOrderStore {

  private static final String COLUMNS = "order_id, sku, quantity, status, message, created_at, updated_at";
  private static final String UNIQUE_VIOLATION = "23505";
  private static final JournaledTable ORDERS = JournaledTable.of("orders", "order_id");

  private final DeadlineBoundDataSource database;
  private final DataSource dataSource;
  private final ChangeJournal journal;

  public JdbcOrderStore(DataSource dataSource) {
    this(DeadlineBoundDataSource.of(dataSource), ChangeJournal.off());
  }

  public JdbcOrderStore(DataSource dataSource, ChangeJournal journal) {
    this(DeadlineBoundDataSource.of(dataSource), journal);
  }

  public JdbcOrderStore(DeadlineBoundDataSource database, ChangeJournal journal) {
    this.database = database;
    this.dataSource = database.dataSource();
    this.journal = journal;
    SchemaMigrations.migrate(dataSource, "orders");
    journal.install(dataSource);
  }

  /** The database, whose transactions end by a deadline. */
  public DeadlineBoundDataSource database() {
    return database;
  }

  /** The outcome of {@link #insertPending}: the stored order, and whether this call created it. */
  public record Insert(Order order, boolean created) {}

  /**
   * Inserts a PENDING order in {@code c}'s open transaction, or reads the one already stored under
   * that id. {@code ON CONFLICT DO NOTHING} keeps the transaction usable after a duplicate, so an
   * idempotency claim made in it still commits.
   */
  public Insert insertPending(Connection c, String orderId, String sku, int quantity, String message, Instant at) throws SQLException {
    Instant now = at.truncatedTo(ChronoUnit.MICROS);
    try (PreparedStatement insert = c.prepareStatement(
        "INSERT INTO orders (" + COLUMNS + ") VALUES (?, ?, ?, 'PENDING', ?, ?, ?) ON CONFLICT DO NOTHING")) {
      insert.setString(1, orderId);
      insert.setString(2, sku);
      insert.setInt(3, quantity);
      insert.setString(4, message);
      insert.setObject(5, OffsetDateTime.ofInstant(now, ZoneOffset.UTC));
      insert.setObject(6, OffsetDateTime.ofInstant(now, ZoneOffset.UTC));
      if (journal.write(c, insert::executeUpdate, ORDERS.row(orderId)) == 1) {
        return new Insert(new Order(orderId, sku, quantity, OrderStatus.PENDING, message, now, now), true);
      }
    }
    return new Insert(find(c, orderId).orElseThrow(() -> new SQLException("order " + orderId + " neither inserted nor found")), false);
  }

  /** The order, read on {@code c}. */
  public Optional<Order> find(Connection c, String orderId) throws SQLException {
    try (PreparedStatement query = c.prepareStatement("SELECT " + COLUMNS + " FROM orders WHERE order_id = ?")) {
      query.setString(1, orderId);
      try (ResultSet rows = query.executeQuery()) {
        return rows.next() ? Optional.of(read(rows)) : Optional.empty();
      }
    }
  }

  /**
   * Moves a PENDING order to a final status in {@code c}'s open transaction.
   *
   * @return true if this call changed it; false if it was no longer PENDING
   */
  public boolean settle(Connection c, String orderId, OrderStatus status, String message, Instant now) throws SQLException {
    if (!status.isFinal()) {
      throw new IllegalArgumentException("an order can only be settled to a final status, not " + status);
    }
    try (PreparedStatement update = c.prepareStatement(
        "UPDATE orders SET status = ?, message = ?, updated_at = ?, settled_at = ? WHERE order_id = ? AND status = 'PENDING'")) {
      OffsetDateTime at = OffsetDateTime.ofInstant(now, ZoneOffset.UTC);
      update.setString(1, status.name());
      update.setString(2, message);
      update.setObject(3, at);
      update.setObject(4, at);
      update.setString(5, orderId);
      return journal.write(c, update::executeUpdate, ORDERS.row(orderId)) == 1;
    }
  }

  /** Inserts a PENDING order, or returns the one already stored under that id. */
  public Insert insertPending(String orderId, String sku, int quantity, String message, Instant at) {
    // The column keeps microseconds; the order returned must look like the one read back later.
    Instant now = at.truncatedTo(ChronoUnit.MICROS);
    try (Connection connection = dataSource.getConnection();
        PreparedStatement insert = connection.prepareStatement(
            "INSERT INTO orders (" + COLUMNS + ") VALUES (?, ?, ?, 'PENDING', ?, ?, ?)")) {
      insert.setString(1, orderId);
      insert.setString(2, sku);
      insert.setInt(3, quantity);
      insert.setString(4, message);
      insert.setObject(5, OffsetDateTime.ofInstant(now, ZoneOffset.UTC));
      insert.setObject(6, OffsetDateTime.ofInstant(now, ZoneOffset.UTC));
      journal.write(connection, insert::executeUpdate, ORDERS.row(orderId));
      return new Insert(new Order(orderId, sku, quantity, OrderStatus.PENDING, message, now, now), true);
    } catch (SQLException e) {
      if (UNIQUE_VIOLATION.equals(e.getSQLState())) {
        return new Insert(find(orderId).orElseThrow(() -> new IllegalStateException("order " + orderId + " vanished", e)), false);
      }
      throw new OrderStoreException("inserting order " + orderId + " failed", e);
    }
  }

  public Optional<Order> find(String orderId) {
    try (Connection connection = dataSource.getConnection();
        PreparedStatement query = connection.prepareStatement("SELECT " + COLUMNS + " FROM orders WHERE order_id = ?")) {
      query.setString(1, orderId);
      try (ResultSet rows = query.executeQuery()) {
        return rows.next() ? Optional.of(read(rows)) : Optional.empty();
      }
    } catch (SQLException e) {
      throw new OrderStoreException("reading order " + orderId + " failed", e);
    }
  }

  /**
   * Moves a PENDING order to a final status.
   *
   * @return true if this call changed it; false if it was no longer PENDING
   */
  public boolean settle(String orderId, OrderStatus status, String message, Instant now) {
    if (!status.isFinal()) {
      throw new IllegalArgumentException("an order can only be settled to a final status, not " + status);
    }
    try (Connection connection = dataSource.getConnection();
        PreparedStatement update = connection.prepareStatement(
            "UPDATE orders SET status = ?, message = ?, updated_at = ?, settled_at = ? WHERE order_id = ? AND status = 'PENDING'")) {
      OffsetDateTime at = OffsetDateTime.ofInstant(now, ZoneOffset.UTC);
      update.setString(1, status.name());
      update.setString(2, message);
      update.setObject(3, at);
      update.setObject(4, at);
      update.setString(5, orderId);
      return journal.write(connection, update::executeUpdate, ORDERS.row(orderId)) == 1;
    } catch (SQLException e) {
      throw new OrderStoreException("settling order " + orderId + " failed", e);
    }
  }

  /** PENDING orders created before {@code cutoff}, oldest first. */
  public List<Order> pendingCreatedBefore(Instant cutoff, int limit) {
    try (Connection connection = dataSource.getConnection();
        PreparedStatement query = connection.prepareStatement(
            "SELECT " + COLUMNS + " FROM orders WHERE status = 'PENDING' AND created_at < ? ORDER BY created_at LIMIT ?")) {
      query.setObject(1, OffsetDateTime.ofInstant(cutoff, ZoneOffset.UTC));
      query.setInt(2, limit);
      List<Order> orders = new ArrayList<>();
      try (ResultSet rows = query.executeQuery()) {
        while (rows.next()) {
          orders.add(read(rows));
        }
      }
      return orders;
    } catch (SQLException e) {
      throw new OrderStoreException("listing pending orders failed", e);
    }
  }

  /** Orders whose id starts with {@code prefix} and sorts after {@code after} (null: from the start), by id. */
  public List<Order> list(String prefix, String after, int limit) {
    // Order ids are [A-Za-z0-9._:-], so '_' is the only LIKE wildcard a prefix can hold.
    String pattern = prefix.replace("!", "!!").replace("_", "!_").replace("%", "!%") + "%";
    try (Connection connection = dataSource.getConnection();
        PreparedStatement query = connection.prepareStatement(
            "SELECT " + COLUMNS + " FROM orders WHERE order_id LIKE ? ESCAPE '!' AND order_id > ? ORDER BY order_id LIMIT ?")) {
      query.setString(1, pattern);
      query.setString(2, after == null ? "" : after);
      query.setInt(3, limit);
      List<Order> orders = new ArrayList<>();
      try (ResultSet rows = query.executeQuery()) {
        while (rows.next()) {
          orders.add(read(rows));
        }
      }
      return orders;
    } catch (SQLException e) {
      throw new OrderStoreException("listing orders failed", e);
    }
  }

  /** How many orders are in each status. */
  public Map<OrderStatus, Long> countByStatus() {
    Map<OrderStatus, Long> counts = new EnumMap<>(OrderStatus.class);
    for (OrderStatus status : OrderStatus.values()) {
      counts.put(status, 0L);
    }
    try (Connection connection = dataSource.getConnection();
        PreparedStatement query = connection.prepareStatement("SELECT status, COUNT(*) FROM orders GROUP BY status");
        ResultSet rows = query.executeQuery()) {
      while (rows.next()) {
        counts.put(OrderStatus.valueOf(rows.getString(1)), rows.getLong(2));
      }
      return counts;
    } catch (SQLException e) {
      throw new OrderStoreException("counting orders failed", e);
    }
  }

  private static Order read(ResultSet rows) throws SQLException {
    return new Order(
        rows.getString(1),
        rows.getString(2),
        rows.getInt(3),
        OrderStatus.valueOf(rows.getString(4)),
        rows.getString(5),
        rows.getObject(6, OffsetDateTime.class).toInstant(),
        rows.getObject(7, OffsetDateTime.class).toInstant());
  }
}
