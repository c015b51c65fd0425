package io.distpatterns.platform.sharding;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;

/**
 * Places a shard's tokens so that every shard owns close to {@code weight / totalWeight} of the
 * ring, without moving any token already placed (so only keys bound for the growing shard move).
 *
 * <p>Hashed tokens leave each shard's share off by about {@code 1/sqrt(vnodes)} (with 256 vnodes and
 * 64 shards the fullest shard holds ~13% more than the mean). Here each new token instead takes a
 * measured bite: from the shard holding the most above its target, out of its largest arc, of size
 * {@code (share still needed) / (tokens left)}, capped at half that arc. Shares end within one
 * bite of their targets, and the keys moved are the growing shard's share and no more. The result
 * depends on the order of changes, so shard-router stores the tokens and publishes them with the map.
 */
public final class TokenAllocator {

    private static final double RING = Math.pow(2, 64);

    private TokenAllocator() {
    }

    /**
     * Tokens to add to {@code shardId} (which may already have some in {@code tokens}) so that its
     * share approaches its weight's part of {@code weights}; donors are the other shards in
     * {@code tokens}.
     *
     * @param tokens  current tokens of every ACTIVE shard
     * @param weights weights of every ACTIVE shard after the change, {@code shardId} included
     * @param count   how many tokens to add
     */
    public static long[] grow(Map<String, long[]> tokens, Map<String, Integer> weights, String shardId, int count) {
        ShardRing ring = ShardRing.of(tokens);
        if (ring.size() == 0) {
            return ShardRing.hashedTokens(shardId, count);
        }
        double totalWeight = weights.values().stream().mapToInt(Integer::intValue).sum();
        Map<String, Double> shares = ring.shares();
        Map<String, Double> excess = new HashMap<>();
        for (var entry : weights.entrySet()) {
            if (!entry.getKey().equals(shardId)) {
                excess.put(entry.getKey(), shares.getOrDefault(entry.getKey(), 0.0) - entry.getValue() / totalWeight);
            }
        }
        double need = weights.get(shardId) / totalWeight - shares.getOrDefault(shardId, 0.0);

        Map<String, PriorityQueue<Arc>> arcsByDonor = arcsByOwner(ring, shardId);
        Set<Long> taken = new HashSet<>();
        for (long p : ring.positions()) {
            taken.add(p);
        }
        long[] added = new long[count];
        for (int k = 0; k < count; k++) {
            String donor = excess.entrySet().stream().filter(e -> arcsByDonor.containsKey(e.getKey()))
                    .max(Map.Entry.comparingByValue()).orElseThrow().getKey();
            Arc arc = arcsByDonor.get(donor).poll();
            double bite = Math.max(0, need) / (count - k);
            double take = Math.min(Math.min(bite, Math.max(excess.get(donor), 0)), arc.length() / 2);
            long delta = Math.max(1, (long) Math.min(take * RING, 9.0e18));
            long token = arc.fromExclusive() + delta; // the new token takes (from, token]
            while (!taken.add(token)) {
                token++;
            }
            double actual = ShardRing.unsignedLength(arc.fromExclusive(), token) / RING;
            added[k] = token;
            need -= actual;
            excess.merge(donor, -actual, Double::sum);
            arcsByDonor.get(donor).add(new Arc(token, arc.toInclusive()));
        }
        Arrays.sort(added);
        return added;
    }

    /**
     * Balanced tokens for {@code shards}, placed as if the ACTIVE ones joined one after another in
     * list order: what a new map starts with.
     */
    public static Map<String, long[]> balanced(List<Shard> shards, int vnodesPerShard) {
        Map<String, long[]> tokens = new java.util.LinkedHashMap<>();
        Map<String, Integer> weights = new java.util.LinkedHashMap<>();
        for (Shard shard : shards) {
            if (!shard.active()) {
                continue;
            }
            weights.put(shard.id(), shard.weight());
            tokens.put(shard.id(), grow(tokens, weights, shard.id(), ShardRing.tokenCount(shard.weight(), vnodesPerShard)));
        }
        return tokens;
    }

    /**
     * Tokens {@code shardId} keeps when it shrinks to {@code keep} tokens: the ones with the largest
     * arcs go first (their keys pass to the next token clockwise).
     */
    public static long[] shrink(Map<String, long[]> tokens, String shardId, int keep) {
        ShardRing ring = ShardRing.of(tokens);
        List<Arc> own = new ArrayList<>(arcsByOwner(ring, null).getOrDefault(shardId, new PriorityQueue<>()));
        own.sort(Comparator.comparingDouble(Arc::length));
        long[] kept = own.stream().limit(keep).mapToLong(Arc::toInclusive).sorted().toArray();
        return kept;
    }

    /** Each shard's arcs (other than {@code except}'s), largest first. */
    private static Map<String, PriorityQueue<Arc>> arcsByOwner(ShardRing ring, String except) {
        Map<String, PriorityQueue<Arc>> arcs = new HashMap<>();
        long[] points = ring.positions();
        for (int i = 0; i < points.length; i++) {
            String owner = ring.ownerAt(i);
            if (owner.equals(except)) {
                continue;
            }
            long previous = points[(i + points.length - 1) % points.length];
            arcs.computeIfAbsent(owner, o -> new PriorityQueue<>(Comparator.comparingDouble(Arc::length).reversed()))
                    .add(new Arc(previous, points[i]));
        }
        return arcs;
    }

    /** The part of the ring {@code (fromExclusive, toInclusive]} owned by the token at {@code toInclusive}. */
    private record Arc(long fromExclusive, long toInclusive) {

        double length() {
            return fromExclusive == toInclusive ? RING : ShardRing.unsignedLength(fromExclusive, toInclusive);
        }
    }
}
