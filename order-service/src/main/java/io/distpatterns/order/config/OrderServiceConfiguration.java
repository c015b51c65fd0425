package io.distpatterns.order.config;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import com.zaxxer.hikari.HikariDataSource;
import io.micrometer.tracing.Tracer;
import org.flywaydb.core.Flyway;
import tools.jackson.databind.json.JsonMapper;

import io.distpatterns.order.persistence.MoveStore;
import io.distpatterns.order.persistence.OrderDirectory;
import io.distpatterns.order.persistence.RouterRingPublisher;
import io.distpatterns.order.persistence.OrderShardsProperties;
import io.distpatterns.order.persistence.ShardMapSource;
import io.distpatterns.platform.ids.IdGenerator;
import io.distpatterns.platform.outbox.OutboxWriter;
import io.distpatterns.platform.outbox.Traceparents;
import io.distpatterns.platform.postgres.PostgresProperties;
import io.distpatterns.platform.postgres.PostgresServer;
import io.distpatterns.platform.sharding.ShardMapClient;
import io.distpatterns.platform.sharding.ShardingProperties;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.annotation.EnableScheduling;

@Configuration
@EnableScheduling
class OrderServiceConfiguration {

    /**
     * shard-router's map when {@code platform.sharding.router-url} is set (moves publish their epochs
     * there), else the service's own map, stored in the directory database.
     */
    @Bean
    ShardMapSource shardMapSource(ObjectProvider<ShardMapClient> client, ObjectProvider<ShardingProperties> sharding,
                                  OrderShardsProperties shards, MoveStore moves) {
        ShardMapClient router = client.getIfAvailable();
        return router != null
                ? ShardMapSource.of(router, new RouterRingPublisher(sharding.getObject().routerUrl(), router))
                : ShardMapSource.local(shards.count(), shards.vnodesPerShard(), moves);
    }

    @Bean
    MoveStore moveStore(OrderDirectory directory, JsonMapper json) {
        return new MoveStore(directory.dataSource(), json);
    }

    /** Owns its pool (not a DataSource bean: the service has no single database for Boot to configure). */
    @Bean(destroyMethod = "close")
    OrderDirectory orderDirectory(PostgresServer server, PostgresProperties postgres, OrdersProperties orders) {
        String database = postgres.physicalName(orders.directoryDatabase());
        server.createDatabaseIfMissing(database);
        HikariDataSource dataSource = server.dataSource(database, postgres.maxPoolSize());
        Flyway.configure().dataSource(dataSource).locations("classpath:db/directory").load().migrate();
        return new OrderDirectory(dataSource);
    }

    @Bean
    OutboxWriter outboxWriter(IdGenerator ids, JsonMapper json, ObjectProvider<Tracer> tracer) {
        Tracer t = tracer.getIfAvailable();
        return new OutboxWriter(ids, json, t == null ? Traceparents.none() : Traceparents.of(t));
    }

    /** Bounded: the admin scatter-gather never queues without limit. */
    @Bean(destroyMethod = "shutdown")
    ExecutorService adminScatterExecutor() {
        return new ThreadPoolExecutor(4, 16, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(256),
                r -> {
                    Thread t = new Thread(r, "admin-scatter");
                    t.setDaemon(true);
                    return t;
                }, new ThreadPoolExecutor.AbortPolicy());
    }
}
