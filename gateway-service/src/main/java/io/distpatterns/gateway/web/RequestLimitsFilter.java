package io.distpatterns.gateway.web;

import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.core.Ordered;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpRequestDecorator;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;

import io.distpatterns.gateway.config.GatewayProperties;

/**
 * Caps what a request may carry: header count and total header size (431), body size (413). A
 * declared {@code Content-Length} above the cap is refused before anything is forwarded; a chunked
 * body is counted as it streams and refused when it passes the cap.
 */
@Component
class RequestLimitsFilter implements WebFilter, Ordered {

    static final int ORDER = TraceIdFilter.ORDER + 10;

    private final long maxBodyBytes;
    private final long maxHeaderBytes;
    private final int maxHeaderCount;

    RequestLimitsFilter(GatewayProperties properties) {
        this.maxBodyBytes = properties.limits().maxBodySize().toBytes();
        this.maxHeaderBytes = properties.limits().maxHeaderSize().toBytes();
        this.maxHeaderCount = properties.limits().maxHeaderCount();
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        HttpHeaders headers = exchange.getRequest().getHeaders();
        long headerBytes = 0;
        int headerCount = 0;
        for (Map.Entry<String, List<String>> header : headers.headerSet()) {
            for (String value : header.getValue()) {
                headerCount++;
                headerBytes += header.getKey().length() + value.length() + 4; // ": " and CRLF
            }
        }
        if (headerCount > maxHeaderCount) {
            return Mono.error(new GatewayProblem(HttpStatus.REQUEST_HEADER_FIELDS_TOO_LARGE,
                    "Request Header Fields Too Large",
                    "the request has " + headerCount + " header fields; at most " + maxHeaderCount + " are accepted"));
        }
        if (headerBytes > maxHeaderBytes) {
            return Mono.error(new GatewayProblem(HttpStatus.REQUEST_HEADER_FIELDS_TOO_LARGE,
                    "Request Header Fields Too Large",
                    "the request headers take " + headerBytes + " bytes; at most " + maxHeaderBytes + " are accepted"));
        }
        long contentLength = headers.getContentLength();
        if (contentLength > maxBodyBytes) {
            return Mono.error(tooLarge("the request body has " + contentLength + " bytes"));
        }
        if (contentLength < 0 && headers.containsHeader(HttpHeaders.TRANSFER_ENCODING)) {
            return chain.filter(exchange.mutate().request(new CountingRequest(exchange.getRequest())).build());
        }
        return chain.filter(exchange);
    }

    private GatewayProblem tooLarge(String what) {
        return new GatewayProblem(HttpStatus.CONTENT_TOO_LARGE, "Content Too Large",
                what + "; at most " + maxBodyBytes + " are accepted");
    }

    @Override
    public int getOrder() {
        return ORDER;
    }

    private final class CountingRequest extends ServerHttpRequestDecorator {

        CountingRequest(ServerHttpRequest delegate) {
            super(delegate);
        }

        @Override
        public Flux<DataBuffer> getBody() {
            AtomicLong seen = new AtomicLong();
            return super.getBody().handle((buffer, sink) -> {
                if (seen.addAndGet(buffer.readableByteCount()) > maxBodyBytes) {
                    org.springframework.core.io.buffer.DataBufferUtils.release(buffer);
                    sink.error(tooLarge("the chunked request body passed " + maxBodyBytes + " bytes"));
                } else {
                    sink.next(buffer);
                }
            });
        }
    }
}
