package io.distpatterns.platform.sharding;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;

/**
 * A consistent-hash ring: each ACTIVE shard places {@code vnodesPerShard × weight / 100} virtual
 * nodes (at least one) at {@code hash(shardId + "#" + i)}; a position belongs to the first virtual
 * node at or after it, wrapping around past the largest. Positions are signed 64-bit longs ordered
 * as such. Immutable; {@link #ownerOf(long)} is a binary search over a primitive array.
 */
public final class ShardRing {

    private final long[] points;
    private final String[] owners;
    private final int vnodesPerShard;

    private ShardRing(long[] points, String[] owners, int vnodesPerShard) {
        this.points = points;
        this.owners = owners;
        this.vnodesPerShard = vnodesPerShard;
    }

    /** The ring over the ACTIVE shards of {@code shards}. */
    public static ShardRing of(Collection<Shard> shards, int vnodesPerShard) {
        if (vnodesPerShard < 1) {
            throw new IllegalArgumentException("vnodesPerShard must be >= 1, got " + vnodesPerShard);
        }
        record Point(long position, String owner) {
        }
        List<Point> all = new ArrayList<>();
        for (Shard shard : shards) {
            if (!shard.active()) {
                continue;
            }
            long vnodes = Math.max(1, Math.round((double) vnodesPerShard * shard.weight() / Shard.STANDARD_WEIGHT));
            for (int i = 0; i < vnodes; i++) {
                all.add(new Point(ShardKey.hashCanonical(shard.id() + "#" + i), shard.id()));
            }
        }
        all.sort((a, b) -> a.position() != b.position()
                ? Long.compare(a.position(), b.position()) : a.owner().compareTo(b.owner()));
        long[] points = new long[all.size()];
        String[] owners = new String[all.size()];
        for (int i = 0; i < points.length; i++) {
            points[i] = all.get(i).position();
            owners[i] = all.get(i).owner();
        }
        return new ShardRing(points, owners, vnodesPerShard);
    }

    /** The shard owning ring position {@code hash}; throws when the ring is empty. */
    public String ownerOf(long hash) {
        if (points.length == 0) {
            throw new IllegalStateException("the ring has no active shard");
        }
        int i = Arrays.binarySearch(points, hash);
        if (i < 0) {
            i = -i - 1;
            if (i == points.length) {
                i = 0;
            }
        } else {
            while (i > 0 && points[i - 1] == hash) {
                i--; // equal positions: the first in (position, owner) order wins
            }
        }
        return owners[i];
    }

    /** The shard owning {@code key}. */
    public String route(Object key) {
        return ownerOf(ShardKey.hash(key));
    }

    public int size() {
        return points.length;
    }

    public int vnodesPerShard() {
        return vnodesPerShard;
    }

    /** A copy of the sorted virtual-node positions. */
    public long[] positions() {
        return points.clone();
    }
}
