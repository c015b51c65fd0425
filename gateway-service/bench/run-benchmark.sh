#!/usr/bin/env bash
# Gateway benchmark: a stub service (own JVM), the gateway in front of it (own JVM), and an open-loop
# load generator (own JVM) that measures the same stub directly and through the gateway in one run;
# with BENCH_VARIANTS=1 (the default) also through the two bare Spring Cloud Gateway variants of
# bench/variants (WebFlux and Server WebMVC, routing only, each its own JVM): the framework's own cost.
# Not part of `mvn verify`. Figures go to bench-results/gateway-<timestamp>.txt (gitignored).
#
#   gateway-service/bench/run-benchmark.sh            # builds what it needs, then runs (~12 minutes)
#   BENCH_VARIANTS=0 gateway-service/bench/run-benchmark.sh   # the gateway only (~6 minutes)
#   BENCH_OPTS=-Dbench.warmupSeconds=10 gateway-service/bench/run-benchmark.sh   # the former 10 s warm-up
#   BENCH_LATENCY_RATE=1000 gateway-service/bench/run-benchmark.sh
#   BENCH_GATEWAY_ARGS='--management.tracing.sampling.probability=0' gateway-service/bench/run-benchmark.sh
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$ROOT"
STUB_PORT=${BENCH_STUB_PORT:-18091}
GW_PORT=${BENCH_GATEWAY_PORT:-18090}
OUT="bench-results/gateway-$(date +%Y%m%d-%H%M%S).txt"
mkdir -p bench-results

mvn -B -q -pl gateway-service -am -DskipTests package >/dev/null
CP_FILE="$ROOT/gateway-service/target/bench.classpath"
mvn -B -q -o -f gateway-service/pom.xml dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile="$CP_FILE" >/dev/null
CP="gateway-service/target/test-classes:gateway-service/target/classes:$(cat "$CP_FILE")"
JAVA_OPTS=${BENCH_JAVA_OPTS:--Xmx256m -XX:+UseParallelGC}

pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; }
trap cleanup EXIT

java $JAVA_OPTS -cp "$CP" io.distpatterns.gateway.bench.StubService "$STUB_PORT" > bench-results/stub.log 2>&1 &
STUB_PID=$!
pids+=($STUB_PID)
# The gateway as deployed (tracing on, sampling 1.0; export off so no collector is needed), with a bench key
# on a plan large enough that the limiter never refuses: the limiter still runs on every request.
ORDER_SERVICE_URL="http://127.0.0.1:$STUB_PORT" PLATFORM_TRACING_EXPORT=false \
  java $JAVA_OPTS -jar gateway-service/target/gateway-service.jar --server.port="$GW_PORT" \
  --gateway.security.api-keys.bench.key=bench-key --gateway.security.api-keys.bench.plan=bench \
  --gateway.rate-limit.plans.bench.burst=1000000 --gateway.rate-limit.plans.bench.rate-per-second=1000000 \
  --gateway.routes.orders.max-in-flight=4096 --logging.level.root=WARN ${BENCH_GATEWAY_ARGS:-} > bench-results/gateway.log 2>&1 &
GW_PID=$!
pids+=($GW_PID)
ready() { for _ in $(seq 1 90); do curl -sf "$1" >/dev/null && return 0; sleep 1; done; echo "not ready: $1" >&2; exit 1; }
ready "http://127.0.0.1:$GW_PORT/actuator/health/readiness"
targets=("gateway=http://127.0.0.1:$GW_PORT/api/orders/42@$GW_PID")

if [ "${BENCH_VARIANTS:-1}" = 1 ]; then
  mvn -B -q -f gateway-service/bench/variants/pom.xml -DskipTests package >/dev/null
  port=$((GW_PORT + 2))
  for variant in webflux mvc; do
    ORDER_SERVICE_URL="http://127.0.0.1:$STUB_PORT" java $JAVA_OPTS -jar "gateway-service/bench/variants/$variant/target/gateway-bare-$variant.jar" \
      --server.port="$port" --logging.level.root=WARN > "bench-results/gateway-bare-$variant.log" 2>&1 &
    pids+=($!)
    ready "http://127.0.0.1:$port/actuator/health"
    targets+=("bare-$variant=http://127.0.0.1:$port/api/orders/42@$!")
    port=$((port + 1))
  done
fi

# The pids let the generator report each server's CPU time per request (see GatewayBenchmark).
java $JAVA_OPTS -Dbench.latencyRate="${BENCH_LATENCY_RATE:-500}" -Dbench.stubPid="$STUB_PID" ${BENCH_OPTS:-} -cp "$CP" io.distpatterns.gateway.bench.GatewayBenchmark \
  "http://127.0.0.1:$STUB_PORT/orders/42" bench-key "$OUT" "${targets[@]}"
echo "figures written to $OUT"
