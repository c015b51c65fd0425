package io.distpatterns.inventory.domain;

public class ProductAlreadyExistsException extends RuntimeException {

    public ProductAlreadyExistsException(String sku) {
        super("product '" + sku + "' already exists");
    }
}
