package io.distpatterns.geo.domain;

import java.util.Locale;

/** What a driver is doing; nearby search filters on it before applying the limit. */
public enum DriverStatus {
    AVAILABLE, BUSY, OFFLINE;

    /** Parses {@code value} (case-insensitive) or fails naming {@code field}. */
    public static DriverStatus parse(String value, String field) {
        if (value == null || value.isBlank()) {
            throw new InvalidFieldException(field, "must be one of AVAILABLE, BUSY, OFFLINE");
        }
        try {
            return valueOf(value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new InvalidFieldException(field, "unknown status '" + value + "': must be one of AVAILABLE, BUSY, OFFLINE");
        }
    }
}
