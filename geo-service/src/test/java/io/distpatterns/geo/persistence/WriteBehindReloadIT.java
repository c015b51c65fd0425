package io.distpatterns.geo.persistence;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

import io.distpatterns.geo.GeoServiceApplication;
import io.distpatterns.geo.domain.DriverLocations;
import io.distpatterns.geo.domain.DriverPosition;
import io.distpatterns.geo.domain.DriverStatus;
import io.distpatterns.geo.web.GeoHttp;
import io.distpatterns.platform.test.IsolatedDatabases;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.Environment;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/** Updates reach PostgreSQL in batches, behind the index; a restarted service reloads the fresh ones. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "geo.write-behind-interval=1h")
@IsolatedDatabases
class WriteBehindReloadIT {

    @Autowired
    DriverLocations locations;

    @Autowired
    WriteBehindFlusher flusher;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    Environment environment;

    @Test
    void updatesReachPostgresOnlyWhenFlushedAndInBatches() {
        Instant now = Instant.now();
        IntStream.range(0, 12_000).forEach(i -> locations.report(
                new DriverPosition("wb-" + i, 48.0 + i * 1e-5, 11.0, DriverStatus.AVAILABLE, now)));
        // the same driver three times: one row
        locations.report(new DriverPosition("wb-0", 48.5, 11.5, DriverStatus.BUSY, now.plusMillis(1)));
        assertThat(count("wb-%")).isZero();

        int written = flusher.flush();

        assertThat(written).isEqualTo(12_000);
        assertThat(count("wb-%")).isEqualTo(12_000);
        assertThat(jdbc.queryForObject("SELECT status FROM driver_locations WHERE driver_id = 'wb-0'", String.class))
                .isEqualTo("BUSY");
    }

    @Test
    void aRestartedServiceReloadsFreshPositionsOnly() {
        Instant now = Instant.now();
        locations.report(new DriverPosition("restart-fresh", -23.55, -46.63, DriverStatus.AVAILABLE, now));
        flusher.flush();
        jdbc.update("INSERT INTO driver_locations VALUES ('restart-stale', -23.55, -46.63, 'AVAILABLE', ?)",
                Timestamp.from(now.minus(Duration.ofMinutes(10))));

        try (ConfigurableApplicationContext restarted = startAnotherInstance()) {
            GeoHttp http = new GeoHttp(restarted.getEnvironment().getProperty("local.server.port", Integer.class));

            assertThat(http.get("/drivers/restart-fresh").body()).contains("\"lat\":-23.55", "\"status\":\"AVAILABLE\"");
            assertThat(http.get("/drivers/restart-stale").statusCode()).isEqualTo(404);
            assertThat(http.get("/drivers/nearby?lat=-23.55&lon=-46.63&radiusMeters=100").body())
                    .contains("restart-fresh").doesNotContain("restart-stale");
        }
    }

    private ConfigurableApplicationContext startAnotherInstance() {
        List<String> same = List.of("platform.pg.url", "platform.pg.user", "platform.pg.password", "platform.pg.database-suffix");
        SpringApplicationBuilder builder = new SpringApplicationBuilder(GeoServiceApplication.class)
                .properties("server.port=0", "PLATFORM_TRACING_EXPORT=false");
        for (String key : same) {
            builder.properties(key + "=" + environment.getProperty(key, ""));
        }
        return builder.run();
    }

    private int count(String pattern) {
        return jdbc.queryForObject("SELECT count(*) FROM driver_locations WHERE driver_id LIKE ?", Integer.class, pattern);
    }
}
