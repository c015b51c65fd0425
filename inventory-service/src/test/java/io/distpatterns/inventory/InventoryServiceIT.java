package io.distpatterns.inventory;

import javax.sql.DataSource;

import org.junit.jupiter.api.Test;

import io.distpatterns.platform.test.IsolatedDatabases;
import io.distpatterns.platform.test.Schemas;
import io.distpatterns.platform.test.ServiceContract;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;

import static org.assertj.core.api.Assertions.assertThat;

@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = "spring.kafka.listener.auto-startup=false")
@IsolatedDatabases
class InventoryServiceIT extends ServiceContract {

    @Autowired
    DataSource dataSource;

    @Override
    protected String expectedApplicationName() {
        return "inventory-service";
    }

    @Test
    void createsAndMigratesItsOwnDatabase() {
        assertThat(Schemas.tables(dataSource)).contains("products", "reservations", "stock_adjustments", "outbox_events", "processed_events", "dead_letters");
        assertThat(Schemas.flywayVersion(dataSource)).isEqualTo("2");
    }
}
