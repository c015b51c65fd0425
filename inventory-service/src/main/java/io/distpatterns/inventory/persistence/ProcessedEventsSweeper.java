package io.distpatterns.inventory.persistence;

import io.distpatterns.platform.consumer.ProcessedEvents;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/** Deletes expired processed-event ids in batches, so {@code processed_events} stays bounded. */
@Component
class ProcessedEventsSweeper {

    private static final int BATCH = 5_000;

    private final ProcessedEvents processed;
    private final JdbcTemplate jdbc;

    ProcessedEventsSweeper(ProcessedEvents processed, JdbcTemplate jdbc) {
        this.processed = processed;
        this.jdbc = jdbc;
    }

    @Scheduled(fixedDelayString = "${inventory.processed-events-sweep-interval:PT10M}", initialDelayString = "PT1M")
    void sweep() {
        while (processed.deleteExpired(jdbc, BATCH) == BATCH) {
            // next batch
        }
    }
}
