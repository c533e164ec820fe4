package io.valerix.core.backup.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.valerix.core.backup.ArchiveDamagedException;
import io.valerix.core.backup.SegmentInfo;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.zip.GZIPOutputStream;

/**
 * Any segment file, compressed or not, reads to exactly the rows its manifest entry promises, or
 * is refused with the documented {@link ArchiveDamagedException}: never half read, never another
 * exception a restore would not expect.
 */
class SegmentFuzzTest {

    private static final SegmentInfo EXPECTED =
            new SegmentInfo("inventory/segments/1-3.jsonl.gz", 1, 3, Instant.EPOCH, Instant.EPOCH, "0".repeat(64), 1);

    @FuzzTest(maxDuration = "60s")
    void anySegmentReadsToItsPromisedRowsOrIsDamaged(byte[] lines) throws IOException {
        // The fuzzer mutates the text; gzip it here so mutations reach the parser, and also feed the
        // raw bytes so they reach the decompressor.
        readsCompletelyOrIsDamaged(gzip(lines));
        readsCompletelyOrIsDamaged(lines);
    }

    private static void readsCompletelyOrIsDamaged(byte[] content) {
        List<JournalEntry> entries;
        try {
            entries = SegmentCodec.read(content, "inventory", EXPECTED);
        } catch (ArchiveDamagedException damaged) {
            assertThat(damaged.getMessage()).contains(EXPECTED.name());
            return;
        }
        assertThat(entries).extracting(JournalEntry::seq).containsExactly(1L, 2L, 3L);
        assertThat(entries).allSatisfy(entry -> {
            assertThat(entry.table()).isNotNull();
            assertThat(entry.key()).isNotNull();
            assertThat(entry.at()).isNotNull();
        });
    }

    static byte[] gzip(byte[] content) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(bytes)) {
            out.write(content);
        }
        return bytes.toByteArray();
    }
}
