package io.distpatterns.inventory.domain;

public class ProductNotFoundException extends RuntimeException {

    public ProductNotFoundException(String sku) {
        super("product '" + sku + "' does not exist");
    }
}
