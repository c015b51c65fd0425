package io.distpatterns.order.web;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import jakarta.validation.Valid;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Digits;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import io.distpatterns.order.domain.Order;
import io.distpatterns.order.domain.OrderLine;

/** Request and response bodies of the order API. Ids travel as strings. */
final class OrderApi {

    private OrderApi() {
    }

    record PlaceOrderRequest(
            @NotBlank @Size(max = 64) @Pattern(regexp = "[A-Za-z0-9_.:-]+", message = "must be letters, digits or _.:-") String customerId,
            @NotBlank @Pattern(regexp = "[A-Z]{3}", message = "must be an ISO 4217 code such as EUR") String currency,
            @NotNull @Size(min = 1, max = 100) List<@Valid @NotNull LineRequest> lines) {
    }

    record LineRequest(
            @NotBlank @Size(max = 64) String sku,
            @NotNull @Min(1) @Max(1000) Integer quantity,
            @NotNull @DecimalMin(value = "0", inclusive = false) @Digits(integer = 13, fraction = 2) BigDecimal unitPrice) {
    }

    record CancelRequest(@Size(max = 200) String reason) {
    }

    record LineResponse(String sku, int quantity, BigDecimal unitPrice) {
    }

    record OrderResponse(String id, String customerId, String status, String currency, List<LineResponse> lines,
                         BigDecimal total, Instant createdAt) {

        static OrderResponse of(Order order) {
            return new OrderResponse(Long.toString(order.id()), order.customerId(), order.status().name(), order.currency(),
                    order.lines().stream().map(l -> new LineResponse(l.sku(), l.quantity(), l.unitPrice())).toList(),
                    order.total(), order.createdAt());
        }
    }

    record OrderPage(List<OrderResponse> items, String nextCursor) {
    }

    record AdminOrders(List<OrderResponse> items, List<String> shards, Map<String, String> missingShards, boolean complete) {
    }

    static List<OrderLine> lines(PlaceOrderRequest request) {
        return request.lines().stream()
                .map(l -> new OrderLine(l.sku(), l.quantity(), l.unitPrice().setScale(2)))
                .toList();
    }
}
