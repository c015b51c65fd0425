package io.distpatterns.inventory.domain;

/** A product's stock: free to reserve, held for pending orders, and taken by confirmed orders. */
public record Product(String sku, String name, int available, int reserved, int committed) {
}
