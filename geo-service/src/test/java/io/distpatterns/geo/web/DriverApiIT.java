package io.distpatterns.geo.web;

import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.distpatterns.platform.test.IsolatedDatabases;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;

import static io.distpatterns.geo.web.GeoHttp.batch;
import static io.distpatterns.geo.web.GeoHttp.entry;
import static io.distpatterns.geo.web.GeoHttp.location;
import static org.assertj.core.api.Assertions.assertThat;

@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@IsolatedDatabases
class DriverApiIT {

    @Value("${local.server.port}")
    int port;

    GeoHttp http;

    @BeforeEach
    void client() {
        http = new GeoHttp(port);
    }

    @Test
    void reportedDriversAreFoundNearestFirstWithTheirDistance() {
        Instant now = Instant.now();
        http.put("/drivers/api-near/location", location(52.5210, 13.4050, "AVAILABLE", now));
        http.put("/drivers/api-far/location", location(52.5250, 13.4050, "AVAILABLE", now));
        http.put("/drivers/api-busy/location", location(52.5201, 13.4050, "BUSY", now));

        var response = http.get("/drivers/nearby?lat=52.5200&lon=13.4050&radiusMeters=1000&limit=10");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).containsSubsequence("\"driverId\":\"api-near\"", "\"distanceMeters\":111.19",
                "\"driverId\":\"api-far\"").doesNotContain("api-busy");
    }

    @Test
    void getReturnsTheLastPositionAndIgnoresAnOlderReport() {
        Instant now = Instant.now();
        var first = http.put("/drivers/api-order/location", location(10.0, 20.0, "BUSY", now));
        var older = http.put("/drivers/api-order/location", location(11.0, 21.0, "AVAILABLE", now.minusSeconds(5)));

        var response = http.get("/drivers/api-order");

        assertThat(first.body()).contains("\"outcome\":\"APPLIED\"");
        assertThat(older.body()).contains("\"outcome\":\"OUT_OF_ORDER\"");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).contains("\"lat\":10.0", "\"status\":\"BUSY\"");
    }

    @Test
    void aBatchIsAppliedAndCounted() {
        Instant now = Instant.now();
        List<String> entries = IntStream.range(0, 1000)
                .mapToObj(i -> entry("api-batch-" + i, -33.86 + i * 1e-4, 151.21, "AVAILABLE", now)).toList();

        var response = http.post("/drivers/locations", batch(entries));

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).contains("\"applied\":1000");
        assertThat(http.get("/drivers/api-batch-999").statusCode()).isEqualTo(200);
    }

    @Test
    void unknownDriverIsA404Problem() {
        var response = http.get("/drivers/nobody-here");

        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                ct -> assertThat(ct).startsWith("application/problem+json"));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
            "lat=91&lon=0&radiusMeters=1000                    | lat",
            "lat=-90.5&lon=0&radiusMeters=1000                 | lat",
            "lat=NaN&lon=0&radiusMeters=1000                   | lat",
            "lat=0&lon=180.01&radiusMeters=1000                | lon",
            "lat=0&lon=Infinity&radiusMeters=1000              | lon",
            "lat=0&lon=0&radiusMeters=0                        | radiusMeters",
            "lat=0&lon=0&radiusMeters=50001                    | radiusMeters",
            "lat=0&lon=0&radiusMeters=1000&limit=0             | limit",
            "lat=0&lon=0&radiusMeters=1000&limit=101           | limit",
            "lat=0&lon=0&radiusMeters=1000&status=SLEEPING     | status",
            "lat=abc&lon=0&radiusMeters=1000                   | lat",
            "lon=0&radiusMeters=1000                           | lat"})
    void badNearbyQueryIsA400ProblemNamingTheField(String query, String field) {
        var response = http.get("/drivers/nearby?" + query);

        assertProblem(response, field);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
            "{\"lat\":95,\"lon\":0,\"status\":\"AVAILABLE\",\"recordedAt\":\"NOW\"}          | lat",
            "{\"lat\":0,\"lon\":-200,\"status\":\"AVAILABLE\",\"recordedAt\":\"NOW\"}        | lon",
            "{\"lat\":0,\"lon\":1e400,\"status\":\"AVAILABLE\",\"recordedAt\":\"NOW\"}       | lon",
            "{\"lat\":0,\"lon\":0,\"status\":\"ASLEEP\",\"recordedAt\":\"NOW\"}              | status",
            "{\"lat\":0,\"lon\":0,\"status\":\"AVAILABLE\",\"recordedAt\":\"2999-01-01T00:00:00Z\"} | recordedAt",
            "{\"lat\":0,\"lon\":0,\"status\":\"AVAILABLE\",\"recordedAt\":\"yesterday\"}     | recordedAt",
            "{\"lat\":\"north\",\"lon\":0,\"status\":\"AVAILABLE\",\"recordedAt\":\"NOW\"}   | lat"})
    void badReportIsA400ProblemNamingTheFieldAndStoresNothing(String body, String field) {
        var response = http.put("/drivers/api-bad/location", body.replace("NOW", Instant.now().toString()));

        assertProblem(response, field);
        assertThat(http.get("/drivers/api-bad").statusCode()).isEqualTo(404);
    }

    @Test
    void oneBadEntryRejectsTheWholeBatch() {
        Instant now = Instant.now();
        List<String> entries = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            entries.add(entry("api-rejected-" + i, 1.0, 1.0, "AVAILABLE", now));
        }
        entries.set(3, entry("api-rejected-3", 1.0, 1.0, "AVAILABLE", now.plusSeconds(3600)));

        var response = http.post("/drivers/locations", batch(entries));

        assertProblem(response, "locations[3].recordedAt");
        assertThat(http.get("/drivers/api-rejected-0").statusCode()).isEqualTo(404);
    }

    @Test
    void aBatchOverOneThousandIsRejected() {
        Instant now = Instant.now();
        List<String> entries = IntStream.range(0, 1001)
                .mapToObj(i -> entry("api-big-" + i, 1.0, 1.0, "AVAILABLE", now)).toList();

        var response = http.post("/drivers/locations", batch(entries));

        assertProblem(response, "locations");
        assertThat(http.get("/drivers/api-big-0").statusCode()).isEqualTo(404);
    }

    @Test
    void publishesQueryLatencyUpdateCountAndIndexSize() {
        http.put("/drivers/api-metrics/location", location(1.0, 1.0, "AVAILABLE", Instant.now()));
        http.get("/drivers/nearby?lat=1&lon=1&radiusMeters=100");

        String metrics = http.get("/actuator/prometheus").body();

        assertThat(metrics).contains("geo_nearby_query_seconds_count", "geo_location_updates_total{",
                "outcome=\"applied\"", "geo_index_drivers{", "geo_index_cells{", "geo_writebehind_pending{");
    }

    @Test
    void openApiDescribesTheDriverEndpoints() {
        String document = http.get("/v3/api-docs").body();

        assertThat(document).contains("\"/drivers/nearby\"", "\"/drivers/{driverId}/location\"", "\"/drivers/locations\"",
                "\"/drivers/{driverId}\"", "radiusMeters");
    }

    private static void assertProblem(HttpResponse<String> response, String field) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                ct -> assertThat(ct).startsWith("application/problem+json"));
        assertThat(response.body()).contains("\"field\":\"" + field + "\"");
    }
}
