package io.distpatterns.gateway.variants.webflux;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/** Bare Spring Cloud Gateway Server WebFlux: one route from application.yml, no other filter. */
@SpringBootApplication
public class BareWebfluxGatewayApplication {

    public static void main(String[] args) {
        SpringApplication.run(BareWebfluxGatewayApplication.class, args);
    }
}
