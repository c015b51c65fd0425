package io.distpatterns.platform.web;

/** One entry of a problem's {@code errors} list: the field (JSON path or parameter name) and what is wrong. */
public record FieldProblem(String field, String message) {
}
