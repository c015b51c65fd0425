package io.distpatterns.geo.domain;

/** What the index did with a position update. */
public enum UpdateOutcome {
    /** Stored: the driver is at this position now. */
    APPLIED,
    /** Ignored: the stored position was recorded later than this one. */
    OUT_OF_ORDER,
    /** Ignored: recorded longer ago than the freshness TTL, so it could never be returned. */
    EXPIRED
}
