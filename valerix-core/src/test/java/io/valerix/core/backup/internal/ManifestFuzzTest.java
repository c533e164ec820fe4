package io.valerix.core.backup.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.valerix.core.backup.ArchiveDamagedException;
import io.valerix.core.backup.ArchiveStore;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Any {@code manifest.json} in the archive reads to the manifest of the database asked for, or is
 * refused with the documented {@link ArchiveDamagedException}.
 */
class ManifestFuzzTest {

    @FuzzTest(maxDuration = "60s")
    void anyManifestReadsToItsDatabaseOrIsDamaged(byte[] content) throws IOException {
        Optional<Manifest> manifest;
        try {
            manifest = Manifest.read(new OneFileArchive(Manifest.nameOf("orders"), content), "orders");
        } catch (ArchiveDamagedException damaged) {
            assertThat(damaged.getMessage()).contains(Manifest.nameOf("orders"));
            return;
        }
        assertThat(manifest).hasValueSatisfying(read -> {
            assertThat(read.database).isEqualTo("orders");
            assertThat(read.format).isEqualTo(Manifest.FORMAT);
            assertThat(read.lastSeq()).isNotNegative();
        });
    }

    /** An archive holding one file in memory: the fuzzer runs thousands of inputs a second. */
    private record OneFileArchive(String name, byte[] content) implements ArchiveStore {

        @Override
        public InputStream open(String requested) throws IOException {
            if (!requested.equals(name)) {
                throw new NoSuchFileException(requested);
            }
            return new ByteArrayInputStream(content);
        }

        @Override
        public boolean exists(String requested) {
            return requested.equals(name);
        }

        @Override
        public void put(String ignored, byte[] bytes) {
            throw new UnsupportedOperationException("read only");
        }

        @Override
        public void putFile(String ignored, Path source) {
            throw new UnsupportedOperationException("read only");
        }

        @Override
        public boolean createIfAbsent(String ignored, byte[] bytes) {
            throw new UnsupportedOperationException("read only");
        }

        @Override
        public String location() {
            return "memory";
        }
    }
}
