package io.distpatterns.order.web;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.Base64;
import java.util.Currency;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import tools.jackson.databind.json.JsonMapper;

import io.distpatterns.order.domain.Order;
import io.distpatterns.order.domain.OrderStatus;
import io.distpatterns.order.service.OrderService;
import io.distpatterns.platform.web.InvalidFieldException;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.validation.annotation.Validated;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

@Tag(name = "orders", description = "Orders on their customer's shard; every change leaves an event in that shard's outbox")
@RestController
@Validated
class OrderController {

    private static final Set<String> CURRENCIES = Currency.getAvailableCurrencies().stream()
            .map(Currency::getCurrencyCode).collect(java.util.stream.Collectors.toUnmodifiableSet());

    private final OrderService orders;
    private final JsonMapper json;

    OrderController(OrderService orders, JsonMapper json) {
        this.orders = orders;
        this.json = json;
    }

    @Operation(summary = "Place an order (PENDING). Idempotency-Key is required: a retry with the same key and body "
            + "gets the first response; the same key with another body is a 422.")
    @PostMapping(path = "/orders", produces = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<String> place(@RequestHeader(name = "Idempotency-Key", required = false) String idempotencyKey,
                                 @Valid @RequestBody OrderApi.PlaceOrderRequest request) {
        if (idempotencyKey == null || idempotencyKey.isBlank()) {
            throw new InvalidFieldException("Idempotency-Key", "header is required");
        }
        if (idempotencyKey.length() > 200) {
            throw new InvalidFieldException("Idempotency-Key", "must be at most 200 characters");
        }
        if (!CURRENCIES.contains(request.currency())) {
            throw new InvalidFieldException("currency", "'" + request.currency() + "' is not an ISO 4217 currency");
        }
        Set<String> skus = new HashSet<>();
        for (int i = 0; i < request.lines().size(); i++) {
            if (!skus.add(request.lines().get(i).sku())) {
                throw new InvalidFieldException("lines[" + i + "].sku", "duplicate sku '" + request.lines().get(i).sku() + "'");
            }
        }
        var lines = OrderApi.lines(request);
        var placement = orders.place(new OrderService.PlaceOrder(request.customerId(), request.currency(), lines,
                idempotencyKey, hash(request.customerId(), request.currency(), lines)),
                order -> json.writeValueAsString(OrderApi.OrderResponse.of(order)));
        return ResponseEntity.created(URI.create("/orders/" + placement.orderId()))
                .header("Idempotent-Replayed", Boolean.toString(placement.replayed()))
                .contentType(MediaType.APPLICATION_JSON)
                .body(placement.responseBody());
    }

    @Operation(summary = "An order by id: one directory lookup, then the customer's shard only")
    @GetMapping("/orders/{id}")
    OrderApi.OrderResponse get(@PathVariable String id) {
        return OrderApi.OrderResponse.of(orders.get(parseId(id)));
    }

    @Operation(summary = "Cancel a PENDING or CONFIRMED order (OrderCancelled); any other state is a 409")
    @PostMapping("/orders/{id}/cancel")
    OrderApi.OrderResponse cancel(@PathVariable String id, @Valid @RequestBody(required = false) OrderApi.CancelRequest request) {
        String reason = request == null || request.reason() == null ? "cancelled by customer" : request.reason();
        return OrderApi.OrderResponse.of(orders.cancel(parseId(id), reason));
    }

    @Operation(summary = "A customer's orders, newest first, one shard, keyset pagination (pass nextCursor back as cursor)")
    @GetMapping("/customers/{customerId}/orders")
    OrderApi.OrderPage customerOrders(@PathVariable String customerId,
                                      @RequestParam(required = false) String cursor,
                                      @RequestParam(defaultValue = "20") @Min(1) @Max(100) int limit) {
        Instant before = Instant.parse("9999-12-31T00:00:00Z");
        long beforeId = Long.MAX_VALUE;
        if (cursor != null && !cursor.isBlank()) {
            try {
                String[] parts = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8).split(":");
                before = Instant.ofEpochSecond(0, Long.parseLong(parts[0]) * 1000);
                beforeId = Long.parseLong(parts[1]);
            } catch (RuntimeException e) {
                throw new InvalidFieldException("cursor", "is not a cursor this API returned");
            }
        }
        List<Order> page = orders.customerOrders(customerId, before, beforeId, limit + 1);
        String next = null;
        if (page.size() > limit) {
            page = page.subList(0, limit);
            Order last = page.get(limit - 1);
            long micros = last.createdAt().getEpochSecond() * 1_000_000 + last.createdAt().getNano() / 1000;
            next = Base64.getUrlEncoder().withoutPadding().encodeToString((micros + ":" + last.id()).getBytes(StandardCharsets.UTF_8));
        }
        return new OrderApi.OrderPage(page.stream().map(OrderApi.OrderResponse::of).toList(), next);
    }

    @Operation(summary = "Recent orders of every shard (scatter-gather, per-shard timeout); names the shards that did not answer")
    @GetMapping("/admin/orders")
    OrderApi.AdminOrders recent(@RequestParam(required = false) OrderStatus status,
                                @RequestParam(required = false) Instant since,
                                @RequestParam(defaultValue = "50") @Min(1) @Max(500) int limit) {
        var result = orders.recentOrders(status, since == null ? Instant.EPOCH : since, limit);
        return new OrderApi.AdminOrders(result.orders().stream().map(OrderApi.OrderResponse::of).toList(),
                result.shardsAsked(), result.missingShards(), result.missingShards().isEmpty());
    }

    private static long parseId(String id) {
        try {
            long value = Long.parseLong(id);
            if (value < 0) {
                throw new NumberFormatException();
            }
            return value;
        } catch (NumberFormatException e) {
            throw new InvalidFieldException("id", "must be an order id (a positive 64-bit integer)");
        }
    }

    /** SHA-256 of the request's canonical content: same order, same hash, whatever the JSON spelling. */
    private String hash(String customerId, String currency, List<io.distpatterns.order.domain.OrderLine> lines) {
        try {
            byte[] canonical = json.writeValueAsBytes(List.of(customerId, currency, lines));
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(canonical));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
