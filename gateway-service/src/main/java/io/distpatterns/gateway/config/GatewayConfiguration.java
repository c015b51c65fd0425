package io.distpatterns.gateway.config;

import java.util.stream.Collectors;

import io.lettuce.core.ClientOptions;
import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.data.redis.autoconfigure.LettuceClientOptionsBuilderCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;

import io.distpatterns.gateway.config.GatewayProperties.Mode;
import io.distpatterns.gateway.ratelimit.RateLimiter;
import io.distpatterns.gateway.ratelimit.RedisTokenBucket;
import io.distpatterns.gateway.resilience.DownstreamPolicies;

/** Builds the gateway's limiter and resilience state from {@link GatewayProperties}. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(GatewayProperties.class)
class GatewayConfiguration {

    @Bean
    RateLimiter rateLimiter(GatewayProperties properties, ObjectProvider<ReactiveStringRedisTemplate> redis,
                            MeterRegistry meters) {
        RedisTokenBucket shared = properties.rateLimit().mode() == Mode.REDIS
                ? new RedisTokenBucket(redis.getObject(), properties.rateLimit().redisKeyPrefix())
                : null;
        return new RateLimiter(properties.rateLimit(), shared, meters);
    }

    @Bean
    DownstreamPolicies downstreamPolicies(GatewayProperties properties, MeterRegistry meters,
                                          org.springframework.cloud.gateway.config.GatewayProperties gateway) {
        DownstreamPolicies policies = new DownstreamPolicies(properties, meters);
        policies.requirePolicies(gateway.getRoutes().stream().map(route -> route.getId()).collect(Collectors.toSet()));
        return policies;
    }

    /**
     * While Lettuce is disconnected, commands fail at once instead of queueing until it reconnects:
     * the limiter then applies its fail mode within microseconds, not after its timeout.
     */
    @Bean
    LettuceClientOptionsBuilderCustomizer failFastWhileDisconnected() {
        return options -> options.disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS);
    }
}
