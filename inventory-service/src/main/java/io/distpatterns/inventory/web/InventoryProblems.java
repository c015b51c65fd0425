package io.distpatterns.inventory.web;

import io.distpatterns.inventory.domain.ProductAlreadyExistsException;
import io.distpatterns.inventory.domain.ProductNotFoundException;
import io.distpatterns.inventory.domain.StockAdjustmentRejectedException;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/** The inventory service's refusals as problem+json. */
@RestControllerAdvice
class InventoryProblems {

    @ExceptionHandler(ProductNotFoundException.class)
    ProblemDetail notFound(ProductNotFoundException e) {
        return problem(HttpStatus.NOT_FOUND, "Product not found", e.getMessage());
    }

    @ExceptionHandler(ProductAlreadyExistsException.class)
    ProblemDetail exists(ProductAlreadyExistsException e) {
        ProblemDetail problem = problem(HttpStatus.CONFLICT, "Product already exists", e.getMessage());
        problem.setProperty("field", "sku");
        return problem;
    }

    @ExceptionHandler(StockAdjustmentRejectedException.class)
    ProblemDetail belowZero(StockAdjustmentRejectedException e) {
        ProblemDetail problem = problem(HttpStatus.CONFLICT, "Stock would go below zero", e.getMessage());
        problem.setProperty("field", "delta");
        problem.setProperty("available", e.available());
        return problem;
    }

    private static ProblemDetail problem(HttpStatus status, String title, String detail) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
        problem.setTitle(title);
        return problem;
    }
}
