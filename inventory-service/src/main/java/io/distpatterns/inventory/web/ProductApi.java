package io.distpatterns.inventory.web;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/** Request and response bodies of the products API. */
final class ProductApi {

    private ProductApi() {
    }

    record CreateProductRequest(
            @NotBlank @Pattern(regexp = "[A-Za-z0-9._-]{1,64}", message = "must be 1-64 letters, digits, '.', '_' or '-'") String sku,
            @NotBlank @Size(max = 200) String name,
            @NotNull @Min(0) @Max(100_000_000) Integer initialStock) {
    }

    record AdjustStockRequest(
            @NotNull @Min(-100_000_000) @Max(100_000_000) Integer delta,
            @NotBlank @Size(max = 500) String reason) {
    }
}
