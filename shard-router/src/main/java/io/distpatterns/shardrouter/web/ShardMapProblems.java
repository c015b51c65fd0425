package io.distpatterns.shardrouter.web;

import io.distpatterns.shardrouter.domain.ShardMapConflictException;
import io.distpatterns.shardrouter.domain.ShardNotFoundException;
import io.distpatterns.shardrouter.domain.StaleMapVersionException;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/** The shard map's refusals as problem+json: unknown shard 404, conflicts and stale versions 409, bad values 400. */
@RestControllerAdvice
class ShardMapProblems {

    @ExceptionHandler(ShardNotFoundException.class)
    ProblemDetail notFound(ShardNotFoundException e) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.NOT_FOUND, e.getMessage());
        problem.setTitle("Unknown shard");
        problem.setProperty("shardId", e.shardId());
        return problem;
    }

    @ExceptionHandler(ShardMapConflictException.class)
    ProblemDetail conflict(ShardMapConflictException e) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.CONFLICT, e.getMessage());
        problem.setTitle("Shard map conflict");
        return problem;
    }

    @ExceptionHandler(StaleMapVersionException.class)
    ProblemDetail stale(StaleMapVersionException e) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.CONFLICT, e.getMessage());
        problem.setTitle("Stale shard map version");
        problem.setProperty("expectedVersion", e.expected());
        problem.setProperty("currentVersion", e.current());
        return problem;
    }

    /** Values the shard model itself refuses (a shard key of no canonical form, ...). */
    @ExceptionHandler(IllegalArgumentException.class)
    ProblemDetail invalid(IllegalArgumentException e) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, e.getMessage());
        problem.setTitle("Invalid request");
        return problem;
    }
}
