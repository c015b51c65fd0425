#!/usr/bin/env bash
# Nearby-driver benchmark: this index vs Redis GEOSEARCH (127.0.0.1:6379) vs brute force on 1M drivers,
# then updates through POST /drivers/locations. Needs the local Redis and PostgreSQL (PLATFORM_PG_URL).
# Figures: geo-service/target/bench/nearby-latest.md (and a timestamped copy). About 2-4 minutes, -Xmx2g.
# Extra JVM options, e.g. smaller runs: GEO_BENCH_JVM_ARGS="-Xmx2g -Dgeo.bench.drivers=100000"
set -euo pipefail
cd "$(dirname "$0")/../.."
exec mvn -B -q -pl geo-service -am -Pgeo-bench -DskipTests package "-Dgeo.bench.jvmArgs=${GEO_BENCH_JVM_ARGS:--Xmx2g}"
