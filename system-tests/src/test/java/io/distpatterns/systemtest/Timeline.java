package io.distpatterns.systemtest;

import java.util.ArrayList;
import java.util.List;

/** What happened when, in seconds since the load started: faults, recoveries and their outcomes. */
final class Timeline {

    record Entry(double atSeconds, String what, String detail) {
    }

    private final long originMillis;
    private final List<Entry> entries = new ArrayList<>();

    Timeline(long originMillis) {
        this.originMillis = originMillis;
    }

    /** When the load started, in epoch milliseconds. */
    long originMillis() {
        return originMillis;
    }

    synchronized void record(String what, String detail) {
        Entry entry = new Entry((System.currentTimeMillis() - originMillis) / 1000.0, what, detail);
        entries.add(entry);
        System.out.printf("[system-test %7.1fs] %s: %s%n", entry.atSeconds(), what, detail);
    }

    /** When {@code what} first happened, in epoch milliseconds, if it did. */
    synchronized java.util.OptionalLong firstAt(String what) {
        return entries.stream().filter(e -> e.what().equals(what))
                .mapToLong(e -> originMillis + Math.round(e.atSeconds() * 1000)).findFirst();
    }

    synchronized List<Entry> entries() {
        return List.copyOf(entries);
    }
}
