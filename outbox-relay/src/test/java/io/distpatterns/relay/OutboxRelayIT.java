package io.distpatterns.relay;

import io.distpatterns.platform.test.ServiceContract;
import org.springframework.boot.test.context.SpringBootTest;

@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class OutboxRelayIT extends ServiceContract {

    @Override
    protected String expectedApplicationName() {
        return "outbox-relay";
    }
}
