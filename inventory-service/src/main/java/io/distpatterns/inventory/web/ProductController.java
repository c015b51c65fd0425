package io.distpatterns.inventory.web;

import java.net.URI;
import java.util.List;

import jakarta.validation.Valid;

import io.distpatterns.inventory.domain.Product;
import io.distpatterns.inventory.persistence.ProductRows;
import io.distpatterns.inventory.service.StockService;
import io.distpatterns.platform.web.InvalidFieldException;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;

@Tag(name = "products", description = "Products and their stock: available, reserved for pending orders, committed to confirmed ones")
@RestController
class ProductController {

    private static final String ACTOR = "X-Actor";

    private final StockService stock;

    ProductController(StockService stock) {
        this.stock = stock;
    }

    @Operation(summary = "Create a product with its initial stock (audited as the first adjustment)")
    @PostMapping("/products")
    ResponseEntity<Product> create(@Valid @RequestBody ProductApi.CreateProductRequest request,
                                   @RequestHeader(name = ACTOR, defaultValue = "api") String actor) {
        Product product = stock.create(request.sku(), request.name().strip(), request.initialStock(), actor);
        return ResponseEntity.created(URI.create("/products/" + product.sku())).body(product);
    }

    @GetMapping("/products/{sku}")
    Product get(@PathVariable String sku) {
        return stock.get(sku);
    }

    @Operation(summary = "Adjust the available stock by a delta with a reason; never below zero; audited")
    @PutMapping("/products/{sku}/stock")
    Product adjust(@PathVariable String sku, @Valid @RequestBody ProductApi.AdjustStockRequest request,
                   @RequestHeader(name = ACTOR, defaultValue = "api") String actor) {
        if (request.delta() == 0) {
            throw new InvalidFieldException("delta", "must not be 0");
        }
        return stock.adjust(sku, request.delta(), request.reason().strip(), actor);
    }

    @GetMapping("/products/{sku}/adjustments")
    List<ProductRows.Adjustment> adjustments(@PathVariable String sku) {
        return stock.adjustments(sku);
    }
}
