package io.distpatterns.gateway.variants.mvc;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/** Bare Spring Cloud Gateway Server WebMVC: one route from application.yml, no other filter. */
@SpringBootApplication
public class BareMvcGatewayApplication {

    public static void main(String[] args) {
        SpringApplication.run(BareMvcGatewayApplication.class, args);
    }
}
