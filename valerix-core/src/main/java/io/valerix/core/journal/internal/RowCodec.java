package io.valerix.core.journal.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Row values as JSON and back, so that a row image written by one database can be applied to
 * another of the same schema, whatever the engine.
 *
 * <p>Each value is encoded by its column's type: text as a string, integers as numbers, decimals
 * as strings (exact), timestamps as ISO-8601 strings, binary as base64. Decoding goes by the
 * target column's type, read from the target database, so the JSON needs no type tags.
 */
public final class RowCodec {

    /** Shared, configured once; Jackson mappers are thread-safe for reading and writing. */
    public static final ObjectMapper JSON = new ObjectMapper();

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    /** What a column holds, as far as encoding goes. */
    public enum Kind {
        TEXT,
        INTEGER,
        DECIMAL,
        FLOAT,
        BOOLEAN,
        DATE,
        TIME,
        TIMESTAMP,
        TIMESTAMP_TZ,
        BINARY,
        OTHER
    }

    private RowCodec() {}

    /** The kind of a column from its JDBC type and the engine's type name. */
    public static Kind kind(int jdbcType, String typeName) {
        String name = typeName == null ? "" : typeName.toLowerCase(Locale.ROOT);
        // pgjdbc reports timestamptz as Types.TIMESTAMP; only the name tells the two apart.
        if (jdbcType == Types.TIMESTAMP_WITH_TIMEZONE
                || name.equals("timestamptz")
                || name.contains("with time zone")) {
            return name.startsWith("time ") || name.equals("timetz") ? Kind.OTHER : Kind.TIMESTAMP_TZ;
        }
        return switch (jdbcType) {
            case Types.CHAR,
                    Types.VARCHAR,
                    Types.LONGVARCHAR,
                    Types.NCHAR,
                    Types.NVARCHAR,
                    Types.LONGNVARCHAR,
                    Types.CLOB,
                    Types.NCLOB -> Kind.TEXT;
            case Types.TINYINT, Types.SMALLINT, Types.INTEGER, Types.BIGINT -> Kind.INTEGER;
            case Types.DECIMAL, Types.NUMERIC -> Kind.DECIMAL;
            case Types.REAL, Types.FLOAT, Types.DOUBLE -> Kind.FLOAT;
            case Types.BOOLEAN, Types.BIT -> Kind.BOOLEAN;
            case Types.DATE -> Kind.DATE;
            case Types.TIME -> Kind.TIME;
            case Types.TIMESTAMP -> Kind.TIMESTAMP;
            case Types.BINARY, Types.VARBINARY, Types.LONGVARBINARY, Types.BLOB -> Kind.BINARY;
            default -> Kind.OTHER;
        };
    }

    /** The current row of {@code rows} as a JSON object, columns (lower-case) in select order. */
    public static ObjectNode readRow(ResultSet rows) throws SQLException {
        ResultSetMetaData meta = rows.getMetaData();
        ObjectNode row = NODES.objectNode();
        for (int i = 1; i <= meta.getColumnCount(); i++) {
            row.set(
                    meta.getColumnLabel(i).toLowerCase(Locale.ROOT),
                    read(rows, i, kind(meta.getColumnType(i), meta.getColumnTypeName(i))));
        }
        return row;
    }

    /** The current row as one canonical line: columns sorted by name, so equal rows give equal text. */
    public static String canonicalLine(ResultSet rows) throws SQLException {
        ObjectNode row = readRow(rows);
        Map<String, JsonNode> sorted = new TreeMap<>();
        row.properties().forEach(entry -> sorted.put(entry.getKey(), entry.getValue()));
        try {
            return JSON.writeValueAsString(sorted);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("a tree of JSON nodes always serializes", e);
        }
    }

    private static JsonNode read(ResultSet rows, int i, Kind kind) throws SQLException {
        JsonNode value = switch (kind) {
            case TEXT -> text(rows.getString(i));
            case INTEGER -> {
                long number = rows.getLong(i);
                yield rows.wasNull() ? null : NODES.numberNode(number);
            }
            case DECIMAL -> {
                BigDecimal number = rows.getBigDecimal(i);
                yield number == null ? null : NODES.textNode(number.toPlainString());
            }
            case FLOAT -> {
                double number = rows.getDouble(i);
                yield rows.wasNull() ? null : NODES.numberNode(number);
            }
            case BOOLEAN -> {
                boolean flag = rows.getBoolean(i);
                yield rows.wasNull() ? null : NODES.booleanNode(flag);
            }
            case DATE -> text(rows.getObject(i, LocalDate.class));
            case TIME -> text(rows.getObject(i, LocalTime.class));
            case TIMESTAMP -> text(rows.getObject(i, LocalDateTime.class));
            case TIMESTAMP_TZ -> {
                OffsetDateTime at = rows.getObject(i, OffsetDateTime.class);
                yield at == null
                        ? null
                        : NODES.textNode(
                                at.withOffsetSameInstant(ZoneOffset.UTC).toString());
            }
            case BINARY -> {
                byte[] bytes = rows.getBytes(i);
                yield bytes == null ? null : NODES.textNode(Base64.getEncoder().encodeToString(bytes));
            }
            case OTHER -> text(rows.getString(i));
        };
        return value == null ? NODES.nullNode() : value;
    }

    private static JsonNode text(Object value) {
        return value == null ? null : NODES.textNode(value.toString());
    }

    /** A Java value (a key a store passes in) as JSON, encoded as {@link #readRow} would encode it. */
    public static JsonNode encode(Object value) {
        return switch (value) {
            case null -> NODES.nullNode();
            case String s -> NODES.textNode(s);
            case Integer n -> NODES.numberNode(n.longValue());
            case Long n -> NODES.numberNode(n);
            case Short n -> NODES.numberNode(n.longValue());
            case Byte n -> NODES.numberNode(n.longValue());
            case BigDecimal n -> NODES.textNode(n.toPlainString());
            case Double n -> NODES.numberNode(n);
            case Float n -> NODES.numberNode(n.doubleValue());
            case Boolean b -> NODES.booleanNode(b);
            case byte[] bytes -> NODES.textNode(Base64.getEncoder().encodeToString(bytes));
            case Instant at ->
                NODES.textNode(OffsetDateTime.ofInstant(at, ZoneOffset.UTC).toString());
            case OffsetDateTime at ->
                NODES.textNode(at.withOffsetSameInstant(ZoneOffset.UTC).toString());
            default -> NODES.textNode(value.toString());
        };
    }

    /**
     * A JSON value as the Java object to bind to a column of {@code kind}.
     *
     * @throws IllegalArgumentException if the value does not fit the kind (a schema mismatch or a
     *     damaged journal)
     */
    public static Object decode(JsonNode value, Kind kind) {
        if (value == null || value.isNull()) {
            return null;
        }
        try {
            return switch (kind) {
                case TEXT, OTHER -> value.asText();
                case INTEGER -> {
                    if (!value.canConvertToLong()) {
                        throw new IllegalArgumentException("not an integer: " + value);
                    }
                    yield value.longValue();
                }
                case DECIMAL -> new BigDecimal(value.asText());
                case FLOAT -> value.doubleValue();
                case BOOLEAN -> value.booleanValue();
                case DATE -> LocalDate.parse(value.asText());
                case TIME -> LocalTime.parse(value.asText());
                case TIMESTAMP -> LocalDateTime.parse(value.asText());
                case TIMESTAMP_TZ -> OffsetDateTime.parse(value.asText());
                case BINARY -> Base64.getDecoder().decode(value.asText());
            };
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(
                    "value " + value + " does not fit a column of kind " + kind + ": " + e.getMessage(), e);
        }
    }
}
