package io.distpatterns.relay.web;

import io.distpatterns.relay.domain.ParkedEventNotFoundException;
import io.distpatterns.relay.domain.UnknownSourceException;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/** The relay's own refusals as RFC 9457 problem+json (bad input: platform-web's 400s). */
@RestControllerAdvice
class RelayProblems {

    @ExceptionHandler(UnknownSourceException.class)
    ProblemDetail unknownSource(UnknownSourceException e) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.NOT_FOUND, e.getMessage());
        problem.setTitle("Unknown outbox");
        problem.setProperty("field", "source");
        return problem;
    }

    @ExceptionHandler(ParkedEventNotFoundException.class)
    ProblemDetail notParked(ParkedEventNotFoundException e) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.NOT_FOUND, e.getMessage());
        problem.setTitle("No such parked event");
        problem.setProperty("field", "eventId");
        return problem;
    }
}
