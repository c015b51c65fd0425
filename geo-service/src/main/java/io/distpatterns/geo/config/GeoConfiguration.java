package io.distpatterns.geo.config;

import java.time.Clock;

import io.distpatterns.geo.domain.DriverIndex;
import io.distpatterns.geo.domain.DriverLocations;
import io.distpatterns.geo.domain.HexGrid;
import io.distpatterns.geo.domain.LocationRules;
import io.distpatterns.geo.domain.PositionStore;
import io.distpatterns.geo.domain.WriteBehindQueue;
import io.distpatterns.geo.persistence.WriteBehindFlusher;
import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Wires the index, its rules, the write-behind and the sweeper from {@link GeoProperties}. */
@Configuration(proxyBeanMethods = false)
class GeoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    Clock clock() {
        return Clock.systemUTC();
    }

    @Bean
    DriverIndex driverIndex(GeoProperties properties, Clock clock) {
        return new DriverIndex(new HexGrid(properties.indexResolutions()), properties.ttl(), clock);
    }

    @Bean
    WriteBehindQueue writeBehindQueue() {
        return new WriteBehindQueue();
    }

    @Bean
    DriverLocations driverLocations(DriverIndex index, WriteBehindQueue queue, GeoProperties properties, Clock clock,
                                    MeterRegistry registry) {
        LocationRules rules = new LocationRules(clock, properties.maxClockSkew(), properties.maxRadiusMeters(),
                properties.maxLimit(), properties.maxBatchSize());
        return new DriverLocations(index, rules, queue, registry);
    }

    @Bean
    WriteBehindFlusher writeBehindFlusher(PositionStore store, WriteBehindQueue queue, DriverIndex index,
                                          GeoProperties properties, Clock clock, MeterRegistry registry) {
        return new WriteBehindFlusher(store, queue, index, properties.writeBehindInterval(), properties.ttl(), clock,
                registry);
    }

    @Bean
    ExpiredPositionSweeper expiredPositionSweeper(DriverIndex index, GeoProperties properties) {
        return new ExpiredPositionSweeper(index, properties.sweepInterval());
    }
}
