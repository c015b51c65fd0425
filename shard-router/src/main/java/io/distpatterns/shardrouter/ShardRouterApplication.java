package io.distpatterns.shardrouter;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

@SpringBootApplication
@ConfigurationPropertiesScan
public class ShardRouterApplication {

    public static void main(String[] args) {
        SpringApplication.run(ShardRouterApplication.class, args);
    }
}
