#!/usr/bin/env bash
# The saga end to end (issue #6): needs the platform running (`bin/platform up`: order-service,
# inventory-service, outbox-relay, standalone Kafka). Offers orders at a fixed rate straight to
# order-service, waits until every order is CONFIRMED or REJECTED, reports saga throughput and
# order-service's placed->decided latency p50/p99, and checks stock conservation per product.
# Usage: bench/saga.sh [rate/s=20] [seconds=30] [products=10] [stock=50]   -> bench-results/saga.md
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
rate=${1:-20}; seconds=${2:-30}; products=${3:-10}; stock=${4:-50}
out=bench-results; mkdir -p "$out"
curl -fsS -o /dev/null http://127.0.0.1:8081/actuator/health/readiness || { echo "start the platform first: bin/platform up" >&2; exit 1; }
mvn -B -q -Dstyle.color=never -DskipTests -pl benchmarks -am install
mvn -B -q -Dstyle.color=never -pl benchmarks dependency:build-classpath -Dmdep.outputFile="$PWD/$out/.bench.classpath"
java -cp "benchmarks/target/classes:$(cat "$out/.bench.classpath")" io.distpatterns.bench.SagaLoad \
  http://127.0.0.1:8081 http://127.0.0.1:8082 "$rate" "$seconds" "$products" "$stock" "$out/saga.md"
