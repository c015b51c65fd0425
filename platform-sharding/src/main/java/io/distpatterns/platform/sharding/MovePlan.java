package io.distpatterns.platform.sharding;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;

/**
 * What changes owner between two versions of the map: the ring ranges whose owner differs (as
 * half-open intervals {@code (fromExclusive, toInclusive]} of signed 64-bit positions, wrapping
 * past {@code Long.MAX_VALUE}), the fraction of the key space they cover, a summary per
 * (from shard → to shard), and the pinned keys whose placement changes.
 *
 * <p>Computed exactly: between two consecutive virtual-node positions of either ring the owner in
 * each ring is constant, so the union of both position sets splits the ring into intervals with
 * one old and one new owner each.
 */
public record MovePlan(long fromVersion, long toVersion, double movedFraction, List<RangeMove> ranges,
                       List<Transfer> transfers, List<PinChange> pinChanges) {

    /** Keys hashing into {@code (fromExclusive, toInclusive]} move from one shard to another. */
    public record RangeMove(long fromExclusive, long toInclusive, String from, String to, double fraction) {
    }

    /** All ranges moving between one pair of shards. */
    public record Transfer(String from, String to, int ranges, double fraction) {
    }

    /** A pinned key whose shard changes ({@code null} on a side where the ring decides). */
    public record PinChange(String key, String from, String to) {
    }

    private static final double RING = Math.pow(2, 64);

    public static MovePlan between(ShardMap before, ShardMap after) {
        List<RangeMove> ranges = ringMoves(before.ring(), after.ring());
        double moved = ranges.stream().mapToDouble(RangeMove::fraction).sum();
        Map<String, Transfer> transfers = new LinkedHashMap<>();
        for (RangeMove r : ranges) {
            transfers.merge(r.from() + "->" + r.to(), new Transfer(r.from(), r.to(), 1, r.fraction()),
                    (a, b) -> new Transfer(a.from(), a.to(), a.ranges() + 1, a.fraction() + b.fraction()));
        }
        return new MovePlan(before.version(), after.version(), moved, ranges,
                List.copyOf(transfers.values()), pinChanges(before, after));
    }

    private static List<RangeMove> ringMoves(ShardRing before, ShardRing after) {
        if (before.size() == 0 || after.size() == 0) {
            return List.of();
        }
        TreeSet<Long> boundaries = new TreeSet<>();
        for (long p : before.positions()) {
            boundaries.add(p);
        }
        for (long p : after.positions()) {
            boundaries.add(p);
        }
        if (boundaries.size() == 1) { // a single position: the whole ring is one interval
            String from = before.ownerOf(boundaries.first());
            String to = after.ownerOf(boundaries.first());
            return from.equals(to) ? List.of() : List.of(new RangeMove(boundaries.first(), boundaries.first(), from, to, 1.0));
        }
        List<RangeMove> moves = new ArrayList<>();
        Long previous = boundaries.last(); // the first interval wraps from the largest position
        for (long b : boundaries) {
            String from = before.ownerOf(b);
            String to = after.ownerOf(b);
            if (!from.equals(to)) {
                double fraction = unsignedLength(previous, b) / RING;
                RangeMove last = moves.isEmpty() ? null : moves.get(moves.size() - 1);
                if (last != null && last.toInclusive() == previous && last.from().equals(from) && last.to().equals(to)) {
                    moves.set(moves.size() - 1, new RangeMove(last.fromExclusive(), b, from, to, last.fraction() + fraction));
                } else {
                    moves.add(new RangeMove(previous, b, from, to, fraction));
                }
            }
            previous = b;
        }
        return moves;
    }

    /** Length of {@code (from, to]} going up with wrap-around, as a non-negative double. */
    private static double unsignedLength(long from, long to) {
        long d = to - from; // modulo 2^64
        return d >= 0 ? (double) d : (double) (d >>> 1) * 2.0 + (d & 1);
    }

    private static List<PinChange> pinChanges(ShardMap before, ShardMap after) {
        TreeSet<String> keys = new TreeSet<>(before.pinned().keySet());
        keys.addAll(after.pinned().keySet());
        List<PinChange> changes = new ArrayList<>();
        for (String key : keys) {
            String from = before.activeShardCount() > 0 || before.pinned().containsKey(key) ? before.route(key).shardId() : null;
            String to = after.activeShardCount() > 0 || after.pinned().containsKey(key) ? after.route(key).shardId() : null;
            if (!Objects.equals(from, to)) {
                changes.add(new PinChange(key, from, to));
            }
        }
        return changes;
    }
}
