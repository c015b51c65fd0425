#!/usr/bin/env bash
# Order placement benchmark (issue #4): POST /orders straight to order-service, closed loop at a fixed
# concurrency (io.distpatterns.bench.OrdersLoad), with 4 shards and, in the same run, the same service
# pointed at a single database (--orders.shards.count=1). Configurations alternate A B B A over two rounds
# so drift of a shared, noisy machine hits both; every measurement starts on fresh databases.
# Then 100,000 real orders from 10,000 customers (10 each) into 4 fresh shards: rows per shard, max/mean.
# All databases get their own suffix (_bench4, _bench1, _spread4) and are dropped at the end, also on failure.
# POOL_CONTROL=1 adds a third configuration to every round: 1 shard with its pool raised to 32 connections,
# the total the 4 shards have (4 x 8), to tell "more shards" from "more connections" apart.
# Figures go to bench-results/: $NAME.md (summary), $NAME-runs.tsv (raw), orders-logs/ (service logs).
# Usage: bench/orders.sh                                  (~8 min on 2 busy cores)
#        POOL_CONTROL=1 SPREAD_ORDERS=0 NAME=orders-pool-control bench/orders.sh
#   env: CONCURRENCY=16 WARMUP=8 DURATION=20 ROUNDS=2 POOL_CONTROL=0 SPREAD_ORDERS=100000 (0: no spread)
#        SPREAD_CUSTOMERS=10000 SPREAD_CONCURRENCY=32 SPREAD_MAX_SECONDS=420 PORT=18481 PGPORT=5432 SKIP_BUILD=0
#        NAME=orders
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
out=bench-results
logs="$out/orders-logs"
mkdir -p "$out" "$logs"

concurrency=${CONCURRENCY:-16}
warmup=${WARMUP:-8}
duration=${DURATION:-20}
rounds=${ROUNDS:-2}
spread_orders=${SPREAD_ORDERS:-100000}
spread_customers=${SPREAD_CUSTOMERS:-10000}
spread_concurrency=${SPREAD_CONCURRENCY:-32}
spread_max_seconds=${SPREAD_MAX_SECONDS:-420}
port=${PORT:-18481}
pgport=${PGPORT:-5432}
pool_control=${POOL_CONTROL:-0}
name=${NAME:-orders}
[[ "$name" =~ ^[a-z0-9-]{1,40}$ ]] || { echo "NAME: lowercase letters, digits, dashes" >&2; exit 2; }
(( rounds >= 1 && rounds <= 4 )) || { echo "ROUNDS must be 1..4" >&2; exit 2; }

# The service: built-in shard map (no shard-router), the local server, no trace export.
unset PLATFORM_SHARDING_ROUTER_URL
export PLATFORM_PG_URL="jdbc:postgresql://127.0.0.1:${pgport}/postgres"
psql_() { psql -h 127.0.0.1 -p "$pgport" -U postgres -X -q -At -v ON_ERROR_STOP=1 "$@"; }
jar=order-service/target/order-service.jar
runs="$out/${name}-runs.tsv"
spread="$out/${name}-spread.tsv"
suffixes=(_bench4 _bench1 _bench1p32 _spread4)
service_pid=""

drop_databases() { # every database of the platform created with that suffix
  local suffix=$1 db
  for db in $(psql_ -d postgres -c "SELECT datname FROM pg_database WHERE right(datname, ${#suffix}) = '${suffix}'"); do
    psql_ -d postgres -c "DROP DATABASE \"${db}\" WITH (FORCE)"
  done
}

stop_service() {
  [[ -n "$service_pid" ]] || return 0
  kill "$service_pid" 2>/dev/null || true
  for _ in $(seq 1 40); do kill -0 "$service_pid" 2>/dev/null || break; sleep 0.5; done
  kill -9 "$service_pid" 2>/dev/null || true
  wait "$service_pid" 2>/dev/null || true
  service_pid=""
}

cleanup() {
  local rc=$?
  stop_service
  for s in "${suffixes[@]}"; do drop_databases "$s" || echo "could not drop databases *$s" >&2; done
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

start_service() { # suffix, extra args...
  local suffix=$1; shift
  if curl -s -o /dev/null --max-time 2 "http://127.0.0.1:${port}/"; then
    echo "something already answers on 127.0.0.1:${port}; set PORT" >&2; exit 1
  fi
  drop_databases "$suffix" # fresh databases for every measurement
  java -Xms512m -Xmx512m -jar "$jar" --server.port="$port" --platform.pg.database-suffix="$suffix" \
    --management.tracing.export.enabled=false "$@" > "$logs/order-service${suffix}.log" 2>&1 &
  service_pid=$!
  for _ in $(seq 1 120); do
    kill -0 "$service_pid" 2>/dev/null || { echo "order-service exited, see $logs/order-service${suffix}.log" >&2; exit 1; }
    if curl -sf --max-time 2 "http://127.0.0.1:${port}/actuator/health/readiness" > /dev/null; then return 0; fi
    sleep 1
  done
  echo "order-service not ready after 120 s, see $logs/order-service${suffix}.log" >&2; exit 1
}

load() { # label, args...
  local label=$1; shift
  java -Xmx256m -cp benchmarks/target/classes io.distpatterns.bench.OrdersLoad \
    --url "http://127.0.0.1:${port}/orders" --label "$label" --out "$runs" "$@"
}

measure() { # round, configuration: shards, or shards"p"connections-per-shard-pool
  local round=$1 config=$2 shards=${2%%p*} pool=""
  [[ "$config" == *p* ]] && pool=${config#*p}
  start_service "_bench${config}" --orders.shards.count="$shards" ${pool:+--orders.shards.max-pool-size=$pool}
  load "${round}/${config}" --concurrency "$concurrency" --warmup "$warmup" --duration "$duration" --customers 10000
  stop_service
  drop_databases "_bench${config}"
}

if [[ "${SKIP_BUILD:-0}" != 1 ]]; then
  mvn -B -q -Dstyle.color=never -DskipTests -pl order-service,benchmarks -am package
fi
: > "$runs"
: > "$spread"
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
started=$(date +%s)

for round in $(seq 1 "$rounds"); do
  configs=(4 1)
  [[ "$pool_control" == 1 ]] && configs+=(1p32)
  if (( round % 2 == 0 )); then configs=($(printf '%s\n' "${configs[@]}" | tac)); fi # A B B A
  for config in "${configs[@]}"; do measure "$round" "$config"; done
done

# Spread: 100k orders, request i for customer c-(i mod 10k), into 4 fresh shard databases.
if (( spread_orders > 0 )); then
  start_service _spread4 --orders.shards.count=4
  load spread --requests "$spread_orders" --customers "$spread_customers" --concurrency "$spread_concurrency" \
    --max-seconds "$spread_max_seconds" || echo "spread load incomplete (see counts)" >&2
  for i in 0 1 2 3; do
    printf 'orders_shard_%d\t%s\n' "$i" \
      "$(psql_ -d "orders_shard_${i}_spread4" -F $'\t' -c "SELECT count(*), count(DISTINCT customer_id) FROM orders")" >> "$spread"
  done
  stop_service
fi
load_after=$(cut -d' ' -f1-3 /proc/loadavg)
elapsed=$(( $(date +%s) - started ))

python3 - "$runs" "$spread" "$concurrency" "$warmup" "$duration" "$load_before" "$load_after" "$elapsed" \
  "$(psql_ -d postgres -c 'SHOW server_version')" "$(psql_ -d postgres -c 'SHOW synchronous_commit')" \
  > "$out/${name}.md" <<'PY'
import os, sys
runs_file, spread_file, conc, warmup, duration, load_before, load_after, elapsed, pgver, sync = sys.argv[1:]
cols = ["label", "mode", "concurrency", "ok", "errors", "seconds", "rps", "p50", "p90", "p99", "p999", "max", "mean", "errtext"]
runs = [dict(zip(cols, l.rstrip("\n").split("\t"))) for l in open(runs_file) if l.strip()]
timed = [r for r in runs if r["mode"] == "timed"]
names = {"4": "4 shards (4 databases, 4 x 8 connections)", "1": "1 shard (single database, 8 connections)",
         "1p32": "control: 1 shard, pool raised to 32 connections"}
by = {}
for r in timed:
    rnd, config = r["label"].split("/")
    by[(int(rnd), config)] = r
print("# Order placement: 4 shards vs 1 database\n")
print(f"`POST /orders` straight to order-service (built-in shard map, no shard-router), closed loop at "
      f"{conc} requests in flight, customers drawn uniformly from 10,000, one order line per order. "
      f"Each measurement: a freshly started service on fresh databases, {warmup} s warm-up (discarded), "
      f"{duration} s measured. Configurations alternate A B / B A over the rounds on a shared machine "
      f"({os.cpu_count()} cores, load average {load_before} before, {load_after} after; {elapsed} s in all). "
      f"PostgreSQL {pgver} on 127.0.0.1, synchronous_commit={sync}; all shards are databases of that one server. "
      f"Pool sizes are the service defaults unless marked control: 8 connections per shard pool, 10 for the order directory.\n")
print("| round | configuration | concurrency | orders/s | p50 ms | p99 ms | p99.9 ms | errors |\n|---|---|---|---|---|---|---|---|")
for r in timed:  # in the order they ran
    rnd, config = r["label"].split("/")
    errs = r["errors"] if r["errors"] == "0" else f'{r["errors"]} {r["errtext"]}'
    print(f'| {rnd} | {names.get(config, config)} | {r["concurrency"]} | {float(r["rps"]):,.0f} | {float(r["p50"]):.1f} | '
          f'{float(r["p99"]):.1f} | {float(r["p999"]):.1f} | {errs} |')
for ref in ("1", "1p32"):
    pairs = [(rnd, by[(rnd, "4")], by[(rnd, ref)]) for rnd in sorted({k[0] for k in by})
             if (rnd, "4") in by and (rnd, ref) in by]
    if not pairs:
        continue
    print(f"\n| round | 4 shards / {names[ref]}: orders/s | p50 | p99 |\n|---|---|---|---|")
    for rnd, a, b in pairs:
        print(f'| {rnd} | **{float(a["rps"]) / float(b["rps"]):.2f}** | {float(a["p50"]) / float(b["p50"]):.2f} | '
              f'{float(a["p99"]) / float(b["p99"]):.2f} |')
    if len(pairs) > 1:
        print(f'| all | **{sum(float(a["rps"]) for _, a, _ in pairs) / sum(float(b["rps"]) for _, _, b in pairs):.2f}** '
              f'(sum of orders/s) | | |')
rows = [l.rstrip("\n").split("\t") for l in open(spread_file) if l.strip()]
if rows:
    print(f"\n## Spread of {sum(int(r[1]) for r in rows):,} orders from {sum(int(r[2]) for r in rows):,} customers over 4 shards\n")
    sp = [r for r in runs if r["mode"] == "counted"]
    if sp:
        s = sp[-1]
        print(f'Inserted through `POST /orders` (request i for customer c-(i mod customers), so every customer gets the '
              f'same number) at concurrency {s["concurrency"]}: {int(s["ok"]):,} created in {float(s["seconds"]):.0f} s '
              f'({float(s["rps"]):,.0f} orders/s), errors: {s["errors"]} {s["errtext"] if s["errors"] != "0" else ""}. '
              f'Counted afterwards with `SELECT count(*) FROM orders` in each shard database.\n')
    counts = [int(r[1]) for r in rows]
    mean = sum(counts) / len(counts)
    print("| shard | orders | customers | orders / mean |\n|---|---|---|---|")
    for shard, n, c in rows:
        print(f"| {shard} | {int(n):,} | {int(c):,} | {int(n) / mean:.3f} |")
    print(f"| **all** | {sum(counts):,} | {sum(int(r[2]) for r in rows):,} | **max/mean {max(counts) / mean:.3f}**, "
          f"min/mean {min(counts) / mean:.3f} |")
PY
cat "$out/${name}.md"
