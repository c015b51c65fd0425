package io.distpatterns.geo;

import javax.sql.DataSource;

import org.junit.jupiter.api.Test;

import io.distpatterns.platform.test.IsolatedDatabases;
import io.distpatterns.platform.test.Schemas;
import io.distpatterns.platform.test.ServiceContract;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;

import static org.assertj.core.api.Assertions.assertThat;

@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@IsolatedDatabases
class GeoServiceIT extends ServiceContract {

    @Autowired
    DataSource dataSource;

    @Override
    protected String expectedApplicationName() {
        return "geo-service";
    }

    @Test
    void createsAndMigratesItsOwnDatabase() {
        assertThat(Schemas.tables(dataSource)).contains("driver_locations");
        assertThat(Schemas.flywayVersion(dataSource)).isEqualTo("1");
    }
}
