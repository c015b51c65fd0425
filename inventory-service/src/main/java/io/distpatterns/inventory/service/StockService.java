package io.distpatterns.inventory.service;

import java.util.List;

import io.distpatterns.inventory.domain.Product;
import io.distpatterns.inventory.domain.ProductAlreadyExistsException;
import io.distpatterns.inventory.domain.ProductNotFoundException;
import io.distpatterns.inventory.domain.StockAdjustmentRejectedException;
import io.distpatterns.inventory.persistence.ProductRows;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/** Products and manual stock adjustments; every change of total stock is audited in {@code stock_adjustments}. */
@Service
public class StockService {

    private final JdbcTemplate jdbc;
    private final TransactionTemplate tx;

    StockService(JdbcTemplate jdbc, TransactionTemplate tx) {
        this.jdbc = jdbc;
        this.tx = tx;
    }

    public Product create(String sku, String name, int initialStock, String actor) {
        return tx.execute(status -> {
            if (!ProductRows.insert(jdbc, sku, name, initialStock)) {
                throw new ProductAlreadyExistsException(sku);
            }
            ProductRows.audit(jdbc, sku, initialStock, "initial stock", actor, initialStock);
            return new Product(sku, name, initialStock, 0, 0);
        });
    }

    public Product get(String sku) {
        return ProductRows.find(jdbc, sku, false).orElseThrow(() -> new ProductNotFoundException(sku));
    }

    /** Adds {@code delta} (negative: removes) to the available stock; never below zero. */
    public Product adjust(String sku, int delta, String reason, String actor) {
        return tx.execute(status -> {
            Product product = ProductRows.find(jdbc, sku, true).orElseThrow(() -> new ProductNotFoundException(sku));
            if (product.available() + delta < 0) {
                throw new StockAdjustmentRejectedException(sku, delta, product.available());
            }
            ProductRows.adjustAvailable(jdbc, sku, delta);
            ProductRows.audit(jdbc, sku, delta, reason, actor, product.available() + delta);
            return new Product(sku, product.name(), product.available() + delta, product.reserved(), product.committed());
        });
    }

    public List<ProductRows.Adjustment> adjustments(String sku) {
        get(sku);
        return ProductRows.adjustments(jdbc, sku);
    }
}
