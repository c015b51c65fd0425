package io.distpatterns.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

import io.distpatterns.platform.sharding.MovePlan;
import io.distpatterns.platform.sharding.Shard;
import io.distpatterns.platform.sharding.ShardMap;
import io.distpatterns.platform.sharding.TokenAllocator;

/**
 * Balance and movement of the ring, counted over 1M keys (not timed): max/mean keys per shard per
 * virtual-node count for balanced tokens and, as the reference, hashed tokens; and the fraction of
 * keys that move when shard N+1 is added, against the ideal 1/(N+1). Writes a markdown table to the path given as the first argument.
 */
public final class RingQuality {

    static final int KEYS = 1_000_000;

    /** {max/mean, min/mean} keys per shard. */
    static double[] spread(ShardMap map, String[] keys, int shards) {
        Map<String, Integer> counts = new HashMap<>();
        for (String key : keys) {
            counts.merge(map.route(key).shardId(), 1, Integer::sum);
        }
        double mean = (double) keys.length / shards;
        int max = counts.values().stream().mapToInt(Integer::intValue).max().orElseThrow();
        int min = counts.values().stream().mapToInt(Integer::intValue).min().orElseThrow();
        return new double[] {max / mean, min / mean};
    }

    public static void main(String[] args) throws IOException {
        String[] keys = Workloads.keys(KEYS);
        StringBuilder out = new StringBuilder();
        out.append("## Ring balance (max/mean keys per shard over ").append(KEYS).append(" keys)\n\n");
        out.append("Balanced = tokens placed by TokenAllocator (what shard-router stores); hashed = the textbook ring "
                + "with tokens at hash(shard#i), shown as the reference.\n\n");
        out.append("| shards | vnodes/shard | balanced max/mean | balanced min/mean | hashed max/mean | hashed min/mean |\n"
                + "|---|---|---|---|---|---|\n");
        for (int shards : new int[] {4, 16, 64}) {
            for (int vnodes : new int[] {64, 256, 1024}) {
                double[] balanced = spread(Workloads.map(shards, vnodes), keys, shards);
                double[] hashed = spread(Workloads.hashedMap(shards, vnodes), keys, shards);
                out.append(String.format(Locale.ROOT, "| %d | %d | %.3f | %.3f | %.3f | %.3f |%n", shards, vnodes,
                        balanced[0], balanced[1], hashed[0], hashed[1]));
            }
        }
        out.append("\n## Keys moved when adding shard N+1 (256 vnodes/shard)\n\n");
        out.append("| N → N+1 | moved (counted) | moved (plan) | ideal 1/(N+1) | moved / ideal |\n|---|---|---|---|---|\n");
        for (int n : new int[] {4, 16, 64}) {
            ShardMap before = Workloads.map(n, 256);
            var grown = new java.util.ArrayList<>(Workloads.shards(n));
            String added = "orders_shard_" + n;
            grown.add(new Shard(added, "x", Shard.STANDARD_WEIGHT, io.distpatterns.platform.sharding.ShardState.ACTIVE));
            Map<String, long[]> tokens = new HashMap<>(before.tokens());
            Map<String, Integer> weights = new HashMap<>();
            grown.forEach(s -> weights.put(s.id(), s.weight()));
            tokens.put(added, TokenAllocator.grow(before.activeTokens(), weights, added, 256));
            ShardMap after = new ShardMap(2, 256, grown, Map.of(), tokens);
            int moved = 0;
            for (String key : keys) {
                if (!before.route(key).shardId().equals(after.route(key).shardId())) {
                    moved++;
                }
            }
            double counted = (double) moved / KEYS;
            double ideal = 1.0 / (n + 1);
            out.append(String.format(Locale.ROOT, "| %d → %d | %.4f | %.4f | %.4f | %.3f |%n", n, n + 1, counted,
                    MovePlan.between(before, after).movedFraction(), ideal, counted / ideal));
        }
        out.append("\nMoves go only to the new shard (checked by MovePlan's transfers in the tests).\n");
        Path file = Path.of(args.length > 0 ? args[0] : "bench-results/ring-quality.md");
        Files.createDirectories(file.toAbsolutePath().getParent());
        Files.writeString(file, out.toString());
        System.out.print(out);
    }
}
