package io.distpatterns.geo.domain;

/** A request value breaks a rule; {@link #field()} names it (for example {@code locations[3].lat}). */
public class InvalidFieldException extends RuntimeException {

    private final String field;

    public InvalidFieldException(String field, String reason) {
        super(field + ": " + reason);
        this.field = field;
    }

    public String field() {
        return field;
    }
}
