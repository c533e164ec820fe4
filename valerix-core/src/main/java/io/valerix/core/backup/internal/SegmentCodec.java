package io.valerix.core.backup.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.valerix.core.backup.ArchiveDamagedException;
import io.valerix.core.backup.SegmentInfo;
import io.valerix.core.journal.internal.RowCodec;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;

/**
 * The segment file format: gzip-compressed JSON lines. The first line is a header naming the
 * database and the range; then one line per journal row, in order:
 *
 * <pre>{@code
 * {"format":1,"database":"inventory","firstSeq":43,"lastSeq":44}
 * {"seq":43,"at":"2025-06-01T12:00:00.123456Z","table":"inventory_stock","op":"PUT","key":{"sku":"widget"},"row":{...}}
 * {"seq":44,"at":"2025-06-01T12:00:00.123456Z","table":"orders","op":"DELETE","key":{"order_id":"o-1"},"row":null}
 * }</pre>
 *
 * <p>Reading checks everything it can (header, numbering without holes, shapes), so a damaged
 * segment is reported, never half applied.
 */
public final class SegmentCodec {

    public static final int FORMAT = 1;
    private static final JsonFactory FACTORY = RowCodec.JSON.getFactory();

    private SegmentCodec() {}

    /** The segment of {@code rows} (consecutive, at least one) of {@code database}. */
    public static byte[] write(String database, List<JournalRow> rows) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (Writer out = new OutputStreamWriter(new FastGzipOutputStream(bytes), StandardCharsets.UTF_8)) {
            try (JsonGenerator header = FACTORY.createGenerator(out)) {
                header.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
                header.writeStartObject();
                header.writeNumberField("format", FORMAT);
                header.writeStringField("database", database);
                header.writeNumberField("firstSeq", rows.getFirst().seq());
                header.writeNumberField("lastSeq", rows.getLast().seq());
                header.writeEndObject();
            }
            out.write('\n');
            for (JournalRow row : rows) {
                try (JsonGenerator line = FACTORY.createGenerator(out)) {
                    line.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
                    line.writeStartObject();
                    line.writeNumberField("seq", row.seq());
                    line.writeStringField("at", row.at().toString());
                    line.writeStringField("table", row.table());
                    line.writeStringField("op", row.op());
                    line.writeFieldName("key");
                    line.writeRawValue(row.keyJson());
                    line.writeFieldName("row");
                    if (row.imageJson() == null) {
                        line.writeNull();
                    } else {
                        line.writeRawValue(row.imageJson());
                    }
                    line.writeEndObject();
                }
                out.write('\n');
            }
        } catch (IOException e) {
            throw new UncheckedIOException("writing to memory cannot fail", e);
        }
        return bytes.toByteArray();
    }

    /**
     * The entries of a segment, checked against what the manifest says of it.
     *
     * @throws ArchiveDamagedException if it does not decompress or parse, names another database or
     *     range, or its rows are not numbered {@code firstSeq..lastSeq} without holes
     */
    public static List<JournalEntry> read(byte[] content, String database, SegmentInfo expected) {
        String name = expected.name();
        List<JournalEntry> entries = new ArrayList<>();
        try (BufferedReader in = new BufferedReader(new InputStreamReader(
                new GZIPInputStream(new ByteArrayInputStream(content)), StandardCharsets.UTF_8))) {
            String headerLine = in.readLine();
            if (headerLine == null) {
                throw damaged(name, "it is empty");
            }
            JsonNode header = RowCodec.JSON.readTree(headerLine);
            if (header.path("format").asInt() != FORMAT
                    || !database.equals(header.path("database").asText())
                    || header.path("firstSeq").asLong() != expected.firstSeq()
                    || header.path("lastSeq").asLong() != expected.lastSeq()) {
                throw damaged(
                        name,
                        "its header " + headerLine + " does not match the manifest (database " + database + ", rows "
                                + expected.firstSeq() + ".." + expected.lastSeq() + ")");
            }
            long next = expected.firstSeq();
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                if (line.isEmpty()) {
                    continue;
                }
                JsonNode node = RowCodec.JSON.readTree(line);
                long seq = node.path("seq").asLong(-1);
                if (seq != next) {
                    throw damaged(name, "row " + next + " is missing (found " + seq + " in its place)");
                }
                String op = node.path("op").asText();
                JsonNode key = node.get("key");
                JsonNode row = node.get("row");
                boolean put = op.equals("PUT");
                if (!(put || op.equals("DELETE"))
                        || key == null
                        || !key.isObject()
                        || (put ? row == null || !row.isObject() : row != null && !row.isNull())
                        || !node.path("table").isTextual()) {
                    throw damaged(name, "row " + seq + " is malformed");
                }
                entries.add(new JournalEntry(
                        seq,
                        Instant.parse(node.path("at").asText()),
                        node.path("table").asText(),
                        (ObjectNode) key,
                        put ? (ObjectNode) row : null));
                next++;
            }
            if (next != expected.lastSeq() + 1) {
                throw damaged(name, "it ends at row " + (next - 1) + " but should end at " + expected.lastSeq());
            }
        } catch (ArchiveDamagedException e) {
            throw e;
        } catch (IOException | DateTimeParseException | ClassCastException e) {
            throw new ArchiveDamagedException(name, "segment " + name + " is damaged: " + e.getMessage(), e);
        }
        return entries;
    }

    private static ArchiveDamagedException damaged(String name, String why) {
        return new ArchiveDamagedException(name, "segment " + name + " is damaged: " + why);
    }
}
