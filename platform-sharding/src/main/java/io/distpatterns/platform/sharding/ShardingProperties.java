package io.distpatterns.platform.sharding;

import java.net.URI;
import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The shard-map client, bound from {@code platform.sharding.*}.
 *
 * @param routerUrl    base URL of shard-router (for example {@code http://127.0.0.1:8084}); the
 *                     client is created only when it is set
 * @param pollInterval how often to ask for a newer map (default 2 s)
 */
@ConfigurationProperties("platform.sharding")
public record ShardingProperties(URI routerUrl, @DefaultValue("2s") Duration pollInterval) {
}
