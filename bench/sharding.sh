#!/usr/bin/env bash
# Sharding and ID benchmarks (issue #3), side by side with their references in one run:
#   - route() ns/op for 4/16/64 shards x 64/256/1024 vnodes vs Guava's jump consistent hash
#   - Snowflake IDs/s from 1 and 8 threads, as a fraction of the layout's ceiling (4,096/ms)
#   - ring balance (max/mean over 1M keys) and keys moved when adding shard N+1 vs 1/(N+1)
# Figures go to bench-results/: sharding-jmh.json (raw JMH), ring-quality.md, sharding.md (summary).
# Usage: bench/sharding.sh [extra JMH args, e.g. -wi 3 -i 5]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
out=bench-results
mkdir -p "$out"

mvn -B -q -Dstyle.color=never -DskipTests -pl benchmarks -am install
mvn -B -q -Dstyle.color=never -pl benchmarks dependency:build-classpath -Dmdep.outputFile="$PWD/$out/.bench.classpath"
cp="benchmarks/target/classes:$(cat "$out/.bench.classpath")"

java -cp "$cp" io.distpatterns.bench.RingQuality "$out/ring-quality.md"
java -cp "$cp" org.openjdk.jmh.Main 'RouteBenchmark|SnowflakeBenchmark' \
  -f 1 -wi 2 -w 1s -i 3 -r 1s -rf json -rff "$out/sharding-jmh.json" "$@"

python3 - "$out/sharding-jmh.json" "$out/ring-quality.md" > "$out/sharding.md" <<'PY'
import json, sys
runs = json.load(open(sys.argv[1]))
route, ids = {}, {}
for r in runs:
    name = r["benchmark"].rsplit(".", 1)[1]
    score = r["primaryMetric"]["score"]
    if "RouteBenchmark" in r["benchmark"]:
        p = r["params"]
        route[(name, int(p["shards"]), int(p["vnodes"]))] = score
    else:
        ids[name] = score
print(f"# Sharding and ID benchmarks\n\nMachine: {__import__('os').cpu_count()} cores. One JMH run (fork 1, 2x1s warm-up, 3x1s measurement).\n")
print("## route() ns/op: ShardMap vs Guava jump consistent hash (same Murmur3 key hash)\n")
print("| shards | vnodes | ShardMap ns/op | Guava jump ns/op | ShardMap / Guava |\n|---|---|---|---|---|")
for (name, shards, vnodes), score in sorted((k, v) for k, v in route.items() if k[0] == "shardMapRoute"):
    ref = route.get(("guavaJumpConsistentHash", shards, vnodes))
    print(f"| {shards} | {vnodes} | {score:.1f} | {ref:.1f} | {score / ref:.2f} |")
ceiling = 4096 * 1000
print("\n## Snowflake IDs/s (ceiling 4,096,000/s per worker)\n")
print("| threads | IDs/s | fraction of ceiling |\n|---|---|---|")
for name, threads in (("oneThread", 1), ("eightThreads", 8)):
    if name in ids:
        print(f"| {threads} | {ids[name]:,.0f} | {ids[name] / ceiling:.3f} |")
print()
print(open(sys.argv[2]).read())
PY
cat "$out/sharding.md"
