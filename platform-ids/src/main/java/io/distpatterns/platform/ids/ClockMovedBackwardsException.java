package io.distpatterns.platform.ids;

/** The wall clock stepped back further than the tolerance; issuing now could repeat an ID. */
public class ClockMovedBackwardsException extends IdGenerationException {

    private final long backwardsMillis;

    public ClockMovedBackwardsException(int workerId, long backwardsMillis, long toleranceMillis) {
        super("clock moved backwards by " + backwardsMillis + " ms (tolerance " + toleranceMillis
                + " ms) on worker " + workerId + ": refusing to issue IDs until it catches up; check NTP on this host");
        this.backwardsMillis = backwardsMillis;
    }

    public long backwardsMillis() {
        return backwardsMillis;
    }
}
