package io.distpatterns.order.web;

import io.distpatterns.order.domain.IdempotencyKeyReusedException;
import io.distpatterns.order.domain.MoveConflictException;
import io.distpatterns.order.domain.StaleRouteException;
import io.distpatterns.order.domain.OrderNotFoundException;
import io.distpatterns.order.domain.OrderStateConflictException;
import io.distpatterns.order.domain.ShardUnavailableException;
import io.distpatterns.platform.sharding.ShardMapUnavailableException;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/** The order service's refusals as problem+json. */
@RestControllerAdvice
class OrderProblems {

    @ExceptionHandler(OrderNotFoundException.class)
    ProblemDetail notFound(OrderNotFoundException e) {
        return problem(HttpStatus.NOT_FOUND, "Order not found", e.getMessage());
    }

    @ExceptionHandler(OrderStateConflictException.class)
    ProblemDetail conflict(OrderStateConflictException e) {
        ProblemDetail problem = problem(HttpStatus.CONFLICT, "Order state does not allow this", e.getMessage());
        problem.setProperty("currentStatus", e.currentStatus().name());
        return problem;
    }

    @ExceptionHandler(IdempotencyKeyReusedException.class)
    ProblemDetail reused(IdempotencyKeyReusedException e) {
        ProblemDetail problem = problem(HttpStatus.UNPROCESSABLE_CONTENT, "Idempotency-Key reused", e.getMessage());
        problem.setProperty("field", "Idempotency-Key");
        return problem;
    }

    @ExceptionHandler(ShardUnavailableException.class)
    ResponseEntity<ProblemDetail> shardDown(ShardUnavailableException e) {
        ProblemDetail problem = problem(HttpStatus.SERVICE_UNAVAILABLE, "Shard unavailable", e.getMessage());
        problem.setProperty("shardId", e.shardId());
        return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE).header("Retry-After", "5").body(problem);
    }

    @ExceptionHandler(StaleRouteException.class)
    ResponseEntity<ProblemDetail> fenced(StaleRouteException e) {
        ProblemDetail problem = problem(HttpStatus.SERVICE_UNAVAILABLE, "Customer is being moved to another shard", e.getMessage());
        problem.setProperty("fenceEpoch", e.epoch());
        return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE).header("Retry-After", "1").body(problem);
    }

    @ExceptionHandler(MoveConflictException.class)
    ProblemDetail moveConflict(MoveConflictException e) {
        return problem(HttpStatus.CONFLICT, "Move conflict", e.getMessage());
    }

    @ExceptionHandler(MoveController.MoveNotFoundException.class)
    ProblemDetail moveNotFound(MoveController.MoveNotFoundException e) {
        return problem(HttpStatus.NOT_FOUND, "Move not found", e.getMessage());
    }

    @ExceptionHandler(ShardMapUnavailableException.class)
    ResponseEntity<ProblemDetail> noMap(ShardMapUnavailableException e) {
        return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE).header("Retry-After", "5")
                .body(problem(HttpStatus.SERVICE_UNAVAILABLE, "Shard map unavailable", e.getMessage()));
    }

    private static ProblemDetail problem(HttpStatus status, String title, String detail) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
        problem.setTitle(title);
        return problem;
    }
}
