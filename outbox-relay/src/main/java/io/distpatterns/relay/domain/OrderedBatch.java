package io.distpatterns.relay.domain;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.distpatterns.relay.domain.OutboxRow.AggregateKey;

/**
 * Turns the rows read from an outbox into what may be sent now, per aggregate in version order.
 *
 * <p>The read returns rows in transaction-id order, which is not commit order for one aggregate (a
 * transaction that started earlier may take the aggregate's lock later and get the higher version).
 * So the rows are grouped by aggregate and each group is cut to the contiguous run of versions that
 * starts at the aggregate's lowest unpublished version ({@link OutboxRow#firstPending()}): a row
 * whose predecessor is not in hand is never sent. When a group starts above that version, the
 * missing predecessors are reported ({@link #missing()}) for the caller to fetch.
 */
public final class OrderedBatch {

    private final List<List<OutboxRow>> chains;
    private final List<Gap> missing;

    private OrderedBatch(List<List<OutboxRow>> chains, List<Gap> missing) {
        this.chains = chains;
        this.missing = missing;
    }

    /** Versions {@code [from, to)} of {@code aggregate} that were not in hand. */
    public record Gap(AggregateKey aggregate, long from, long to) {
    }

    public static OrderedBatch of(List<OutboxRow> rows) {
        Map<AggregateKey, List<OutboxRow>> groups = new LinkedHashMap<>();
        for (OutboxRow row : rows) {
            groups.computeIfAbsent(row.aggregate(), k -> new ArrayList<>()).add(row);
        }
        List<List<OutboxRow>> chains = new ArrayList<>();
        List<Gap> missing = new ArrayList<>();
        for (var group : groups.entrySet()) {
            List<OutboxRow> sorted = new ArrayList<>(group.getValue());
            sorted.sort(Comparator.comparingLong(OutboxRow::aggregateVersion));
            long expected = sorted.stream().mapToLong(OutboxRow::firstPending).min().orElseThrow();
            if (sorted.get(0).aggregateVersion() > expected) {
                missing.add(new Gap(group.getKey(), expected, sorted.get(0).aggregateVersion()));
                continue;
            }
            List<OutboxRow> chain = new ArrayList<>();
            for (OutboxRow row : sorted) {
                if (row.aggregateVersion() < expected) {
                    continue; // a duplicate of a row already in the chain
                }
                if (row.aggregateVersion() != expected) {
                    break;
                }
                chain.add(row);
                expected++;
            }
            chains.add(List.copyOf(chain));
        }
        return new OrderedBatch(List.copyOf(chains), List.copyOf(missing));
    }

    /** Per aggregate, the rows to send in this order; aggregates in the order first read. */
    public List<List<OutboxRow>> chains() {
        return chains;
    }

    public List<Gap> missing() {
        return missing;
    }

    public int size() {
        return chains.stream().mapToInt(List::size).sum();
    }
}
