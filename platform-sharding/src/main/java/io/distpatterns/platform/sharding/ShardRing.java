package io.distpatterns.platform.sharding;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A consistent-hash ring of virtual nodes ("tokens"): a position belongs to the first token at or
 * after it, wrapping around past the largest. Positions are signed 64-bit longs ordered as such.
 * Immutable; {@link #ownerOf(long)} is a binary search over a primitive array.
 *
 * <p>Where the tokens come from is up to the caller: {@link #hashed} places
 * {@code vnodesPerShard × weight / 100} tokens per ACTIVE shard at {@code hash(shardId + "#" + i)}
 * (the textbook ring, a pure function of the shard list), while shard-router places and stores
 * balanced tokens with {@link TokenAllocator}.
 */
public final class ShardRing {

    private static final double RING = Math.pow(2, 64);

    private final long[] points;
    private final String[] owners;

    private ShardRing(long[] points, String[] owners) {
        this.points = points;
        this.owners = owners;
    }

    /** The ring of the given tokens per shard; equal positions are ordered by shard id. */
    public static ShardRing of(Map<String, long[]> tokensByShard) {
        record Point(long position, String owner) {
        }
        List<Point> all = new ArrayList<>();
        tokensByShard.forEach((shard, tokens) -> {
            for (long t : tokens) {
                all.add(new Point(t, shard));
            }
        });
        all.sort((a, b) -> a.position() != b.position()
                ? Long.compare(a.position(), b.position()) : a.owner().compareTo(b.owner()));
        long[] points = new long[all.size()];
        String[] owners = new String[all.size()];
        for (int i = 0; i < points.length; i++) {
            points[i] = all.get(i).position();
            owners[i] = all.get(i).owner();
        }
        return new ShardRing(points, owners);
    }

    /** The textbook ring over the ACTIVE shards: tokens at hashed positions. */
    public static ShardRing hashed(Collection<Shard> shards, int vnodesPerShard) {
        Map<String, long[]> tokens = new LinkedHashMap<>();
        for (Shard shard : shards) {
            if (shard.active()) {
                tokens.put(shard.id(), hashedTokens(shard.id(), tokenCount(shard.weight(), vnodesPerShard)));
            }
        }
        return of(tokens);
    }

    /** How many tokens a shard of {@code weight} gets: {@code vnodesPerShard × weight / 100}, at least 1. */
    public static int tokenCount(int weight, int vnodesPerShard) {
        if (vnodesPerShard < 1) {
            throw new IllegalArgumentException("vnodesPerShard must be >= 1, got " + vnodesPerShard);
        }
        return (int) Math.max(1, Math.round((double) vnodesPerShard * weight / Shard.STANDARD_WEIGHT));
    }

    /** Tokens at {@code hash(shardId + "#" + i)} for i in [0, count). */
    public static long[] hashedTokens(String shardId, int count) {
        long[] tokens = new long[count];
        for (int i = 0; i < count; i++) {
            tokens[i] = ShardKey.hashCanonical(shardId + "#" + i);
        }
        return tokens;
    }

    /** The shard owning ring position {@code hash}; throws when the ring is empty. */
    public String ownerOf(long hash) {
        return owners[indexOf(hash)];
    }

    /** The shard owning {@code key}. */
    public String route(Object key) {
        return ownerOf(ShardKey.hash(key));
    }

    /** Index of the token owning {@code hash}. */
    int indexOf(long hash) {
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
        return i;
    }

    public int size() {
        return points.length;
    }

    /** A copy of the sorted token positions. */
    public long[] positions() {
        return points.clone();
    }

    /** The owner of the token at sorted index {@code i}. */
    String ownerAt(int i) {
        return owners[i];
    }

    /** The fraction of the key space each shard owns (sums to 1). */
    public Map<String, Double> shares() {
        Map<String, Double> shares = new TreeMap<>();
        for (int i = 0; i < points.length; i++) {
            long previous = points[(i + points.length - 1) % points.length];
            double arc = points.length == 1 ? RING : unsignedLength(previous, points[i]);
            shares.merge(owners[i], arc / RING, Double::sum);
        }
        return shares;
    }

    /** Length of {@code (from, to]} going up with wrap-around, as a non-negative double. */
    static double unsignedLength(long from, long to) {
        long d = to - from; // modulo 2^64
        return d >= 0 ? (double) d : (double) (d >>> 1) * 2.0 + (d & 1);
    }
}
