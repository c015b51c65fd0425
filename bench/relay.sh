#!/usr/bin/env bash
# Outbox relay benchmark (issue #5), relay and naive baseline (one relay, per-row synchronous send)
# measured in one run, with Kafka in the loop (an in-process KRaft broker) and 4 order shards on
# the real PostgreSQL (PLATFORM_PG_URL, else 127.0.0.1:5432):
#   - sustained events/s draining a backlog from 4 shards
#   - commit-to-consumer latency p50/p99 at 1,000 events/s (250 tx/s of 4 events, well below the write ceiling)
#   - write throughput (order row + outbox event per transaction) with and without the relay
#   - clean-up rate of published rows in bounded batches
# Figures go to bench-results/relay.md. Usage: bench/relay.sh [backlog events, default 100000]
# RELAY_BENCH_OPTS adds JVM options, e.g. -Drelay.bench.batch=5000 (relay batch size) or a JFR recording.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
out=bench-results
mkdir -p "$out"

mvn -B -q -Dstyle.color=never -DskipTests -pl outbox-relay -am install
mvn -B -q -Dstyle.color=never -pl outbox-relay dependency:build-classpath -Dmdep.includeScope=test \
  -Dmdep.outputFile="$PWD/$out/.relay.classpath"
cp="outbox-relay/target/test-classes:outbox-relay/target/classes:$(cat "$out/.relay.classpath")"

java -Xmx1g ${RELAY_BENCH_OPTS:-} -cp "$cp" io.distpatterns.relay.bench.RelayBenchmark "$out/relay.md" "${1:-100000}"
