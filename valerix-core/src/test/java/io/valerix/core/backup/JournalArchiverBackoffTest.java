package io.valerix.core.backup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How long a failing archiver waits before it tries again. */
class JournalArchiverBackoffTest {

    @TempDir
    Path dir;

    @Test
    void theWaitDoublesPerFailedSealFromTheSealIntervalUpToTheMaximum() {
        JournalArchiver archiver = builder()
                .sealInterval(Duration.ofSeconds(1))
                .maxRetryDelay(Duration.ofSeconds(30))
                .build();

        assertThat(archiver.retryDelay(0)).isEqualTo(Duration.ofSeconds(1));
        assertThat(archiver.retryDelay(1)).isEqualTo(Duration.ofSeconds(2));
        assertThat(archiver.retryDelay(2)).isEqualTo(Duration.ofSeconds(4));
        assertThat(archiver.retryDelay(4)).isEqualTo(Duration.ofSeconds(16));
        assertThat(archiver.retryDelay(5)).isEqualTo(Duration.ofSeconds(30));
        assertThat(archiver.retryDelay(1_000)).isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void theMaximumDefaultsTo30sOrTheSealIntervalIfLongerAndCannotBeShorterThanIt() {
        assertThat(builder().build().retryDelay(100)).isEqualTo(JournalArchiver.DEFAULT_MAX_RETRY_DELAY);
        assertThat(builder().sealInterval(Duration.ofMinutes(2)).build().retryDelay(3))
                .isEqualTo(Duration.ofMinutes(2));
        assertThatThrownBy(() -> builder()
                        .sealInterval(Duration.ofSeconds(5))
                        .maxRetryDelay(Duration.ofSeconds(1))
                        .build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("maxRetryDelay must be at least the seal interval (PT5S), but was PT1S");
    }

    private JournalArchiver.Builder builder() {
        JdbcDataSource unused = new JdbcDataSource();
        unused.setURL("jdbc:h2:mem:backoff");
        return JournalArchiver.builder(ArchiveStore.directory(dir)).database("db", unused);
    }
}
