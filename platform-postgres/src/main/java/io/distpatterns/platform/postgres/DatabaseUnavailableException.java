package io.distpatterns.platform.postgres;

/** The PostgreSQL server could not be reached or refused a database operation; the message says which. */
public class DatabaseUnavailableException extends RuntimeException {

    public DatabaseUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
