package io.distpatterns.platform.sharding;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.binder.MeterBinder;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;

/**
 * With {@code platform.sharding.router-url} set: a started {@link ShardMapClient} and its metrics,
 * {@code shard.map.version} (the version routed with, -1 before the first load) and
 * {@code shard.map.refresh.failures}.
 */
@AutoConfiguration
@ConditionalOnProperty(prefix = "platform.sharding", name = "router-url")
@EnableConfigurationProperties(ShardingProperties.class)
public class ShardingAutoConfiguration {

    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean
    ShardMapClient shardMapClient(ShardingProperties properties) {
        return new ShardMapClient(properties.routerUrl(), properties.pollInterval()).start();
    }

    @Bean
    MeterBinder shardMapMetrics(ShardMapClient client) {
        return registry -> {
            Gauge.builder("shard.map.version", client, ShardMapClient::version)
                    .description("Version (epoch) of the shard map this instance routes with").register(registry);
            FunctionCounter.builder("shard.map.refresh.failures", client, ShardMapClient::refreshFailures)
                    .description("Failed attempts to refresh the shard map from shard-router").register(registry);
        };
    }
}
