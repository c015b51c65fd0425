package io.distpatterns.geo.domain;

/** No fresh position is known for the driver. */
public class DriverNotFoundException extends RuntimeException {

    public DriverNotFoundException(String driverId) {
        super("no fresh position for driver '" + driverId + "'");
    }
}
