package io.distpatterns.platform.web;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

import tools.jackson.core.JacksonException;

import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.validation.FieldError;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.method.annotation.HandlerMethodValidationException;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

/**
 * Spring MVC's standard exception handling, answering problem+json, with the offending fields
 * listed under {@code errors} for every kind of bad input.
 */
@RestControllerAdvice
@Order(Ordered.LOWEST_PRECEDENCE)
public class BadRequestProblems extends ResponseEntityExceptionHandler {

    @Override
    protected ResponseEntity<Object> handleMethodArgumentNotValid(MethodArgumentNotValidException ex, HttpHeaders headers,
                                                                  HttpStatusCode status, WebRequest request) {
        List<FieldProblem> errors = new ArrayList<>();
        for (FieldError error : ex.getBindingResult().getFieldErrors()) {
            errors.add(new FieldProblem(error.getField(), error.getDefaultMessage()));
        }
        ex.getBindingResult().getGlobalErrors()
                .forEach(error -> errors.add(new FieldProblem(error.getObjectName(), error.getDefaultMessage())));
        return ResponseEntity.badRequest().headers(headers).body(problem(errors));
    }

    @Override
    protected ResponseEntity<Object> handleHandlerMethodValidationException(HandlerMethodValidationException ex,
                                                                            HttpHeaders headers, HttpStatusCode status,
                                                                            WebRequest request) {
        List<FieldProblem> errors = new ArrayList<>();
        ex.getParameterValidationResults().forEach(result -> {
            String name = result.getMethodParameter().getParameterName();
            for (var error : result.getResolvableErrors()) {
                String field = error instanceof FieldError fe ? fe.getField() : name;
                errors.add(new FieldProblem(field, error.getDefaultMessage()));
            }
        });
        return ResponseEntity.badRequest().headers(headers).body(problem(errors));
    }

    @Override
    protected ResponseEntity<Object> handleHttpMessageNotReadable(HttpMessageNotReadableException ex, HttpHeaders headers,
                                                                  HttpStatusCode status, WebRequest request) {
        String field = "body";
        String message = "is not readable JSON";
        if (ex.getCause() instanceof JacksonException jackson) {
            String path = jackson.getPath().stream()
                    .map(ref -> ref.getPropertyName() != null ? ref.getPropertyName() : "[" + ref.getIndex() + "]")
                    .collect(Collectors.joining(".")).replace(".[", "[");
            if (!path.isEmpty()) {
                field = path;
                message = "has the wrong type or format";
            }
        }
        return ResponseEntity.badRequest().headers(headers).body(problem(List.of(new FieldProblem(field, message))));
    }

    @ExceptionHandler(MethodArgumentTypeMismatchException.class)
    ResponseEntity<ProblemDetail> typeMismatch(MethodArgumentTypeMismatchException ex) {
        String type = ex.getRequiredType() == null ? "the expected type" : ex.getRequiredType().getSimpleName();
        return ResponseEntity.badRequest().body(problem(List.of(new FieldProblem(ex.getName(), "must be a valid " + type))));
    }

    @ExceptionHandler(InvalidFieldException.class)
    ResponseEntity<ProblemDetail> invalidField(InvalidFieldException ex) {
        return ResponseEntity.badRequest().body(problem(List.of(new FieldProblem(ex.field(), ex.getMessage()))));
    }

    /** A 400 problem listing {@code errors}; its detail names the fields. */
    public static ProblemDetail problem(List<FieldProblem> errors) {
        String fields = errors.stream().map(FieldProblem::field).distinct().collect(Collectors.joining(", "));
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST,
                "Invalid request: " + (fields.isEmpty() ? "see errors" : fields));
        problem.setTitle("Invalid request");
        problem.setProperty("errors", errors);
        return problem;
    }
}
