package io.distpatterns.gateway.bench;

import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;

/**
 * The benchmark's downstream: a Reactor Netty server answering every request with 200 and a small
 * JSON body, as cheaply as a service can. Run in its own JVM: {@code StubService <port>}.
 */
public final class StubService {

    private StubService() {
    }

    public static void main(String[] args) {
        int port = Integer.parseInt(args[0]);
        byte[] body = "{\"id\":42,\"status\":\"CONFIRMED\"}".getBytes();
        DisposableServer server = HttpServer.create().host("127.0.0.1").port(port)
                .handle((request, response) -> response.header("Content-Type", "application/json")
                        .header("Content-Length", Integer.toString(body.length))
                        .sendByteArray(Mono.just(body)))
                .bindNow();
        System.out.println("stub listening on " + server.port());
        server.onDispose().block();
    }
}
