package io.valerix.core.jdbc.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.time.Duration;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;

/** With HikariCP present; PublishedArtifactsIT (module examples) runs core without it. */
class HikariPoolsTest {

    @Test
    void aHikariPoolIsRecognisedWithItsSizeUrlAndAHealthPoolOfItsOwn() throws Exception {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl("jdbc:h2:mem:hikari-pools;DB_CLOSE_DELAY=-1");
        config.setUsername("sa");
        config.setMaximumPoolSize(7);
        config.setPoolName("requests");
        try (HikariDataSource pool = new HikariDataSource(config)) {
            assertThat(HikariPools.maximumPoolSize(pool)).hasValue(7);
            assertThat(HikariPools.connectionSettings(pool))
                    .hasValueSatisfying(settings ->
                            assertThat(settings.jdbcUrl()).isEqualTo("jdbc:h2:mem:hikari-pools;DB_CLOSE_DELAY=-1"));
            HikariPools.OwnedPool health =
                    HikariPools.healthPoolFor(pool, Duration.ofSeconds(1)).orElseThrow();
            try {
                assertThat(health.dataSource()).isNotSameAs(pool);
                assertThat(((HikariDataSource) health.dataSource()).getPoolName())
                        .isEqualTo("requests-health");
                assertThat(((HikariDataSource) health.dataSource()).getMaximumPoolSize())
                        .isEqualTo(1);
            } finally {
                health.owner().close();
            }
        }
    }

    @Test
    void anyOtherDataSourceIsNotAHikariPool() {
        JdbcDataSource plain = new JdbcDataSource();
        plain.setURL("jdbc:h2:mem:plain");

        assertThat(HikariPools.maximumPoolSize(plain)).isEmpty();
        assertThat(HikariPools.connectionSettings(plain)).isEmpty();
        assertThat(HikariPools.healthPoolFor(plain, Duration.ofSeconds(1))).isEmpty();
    }
}
