#!/usr/bin/env bash
# Weft benchmark: ERP production orders -> MES + WMS on PostgreSQL. See bench/README.md.
#
#   bench/run.sh [--rate N] [--duration S] [--warmup S] [--drain-timeout S] [--connections N] [--port P]
#                [--rebuild] [--weft-opt -Dkey=value]...   (each flag also as env: RATE, DURATION, WARMUP,
#                                           DRAIN_TIMEOUT, CONNECTIONS, PORT, WEFT_OPTS, WEFT_JAVA_OPTS)
#   BENCH_OPTS   extra options for bench/ErpFlowBench.java (bench/peer.sh: --closed-loop true --summary FILE ...)
#   RESULT_FILE  write the results there instead of bench/results/<time>-erp-flow.md, and leave latest.md alone
#
# Builds the app if needed, recreates the database weft_bench, starts the sinks (MES, WMS) and Weft pointed
# at them, waits for /q/health/ready, runs the open-loop load, waits (bounded) for the deliveries to drain,
# stops Weft and writes bench/results/<UTC timestamp>-erp-flow.md (copied to bench/results/latest.md).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)

RATE=${RATE:-1000}
DURATION=${DURATION:-60}
WARMUP=${WARMUP:-120}
DRAIN_TIMEOUT=${DRAIN_TIMEOUT:-120}
CONNECTIONS=${CONNECTIONS:-64}
PORT=${PORT:-18080}
MGMT_PORT=${MGMT_PORT:-19000}
# The load generator posts as the ERP with this key; Weft is given only its hash. No per-system rate limit here.
BENCH_ERP_KEY_HASH='pbkdf2-sha256:10000:6W01WI+cZv5fTWQm09O6Dw:XrK8In3eHzqUPxhxAkPM/Nwmj04E9pK/JJQgWkwTv68'
MES_PORT=${MES_PORT:-18091}
WMS_PORT=${WMS_PORT:-18092}
DB=${DB:-weft_bench}
PGHOST=127.0.0.1
WEFT_OPTS=${WEFT_OPTS:-}
# The JVM options Weft ships with (jvm.options, as demo.sh and the container use them) unless told otherwise.
WEFT_JAVA_OPTS=${WEFT_JAVA_OPTS-$(bench/weft-java-opts)}
# As demo.sh and the container run Weft: two malloc arenas (README, Performance).
export MALLOC_ARENA_MAX=${MALLOC_ARENA_MAX:-2}
BENCH_OPTS=${BENCH_OPTS:-}
RESULT_FILE=${RESULT_FILE:-}
REBUILD=0
while [ $# -gt 0 ]; do
  case "$1" in
    --rate) RATE=$2; shift 2 ;;
    --duration) DURATION=$2; shift 2 ;;
    --warmup) WARMUP=$2; shift 2 ;;
    --drain-timeout) DRAIN_TIMEOUT=$2; shift 2 ;;
    --connections) CONNECTIONS=$2; shift 2 ;;
    --port) PORT=$2; shift 2 ;;
    --weft-opt) WEFT_OPTS="$WEFT_OPTS $2"; shift 2 ;;
    --rebuild) REBUILD=1; shift ;;
    -h|--help) sed -n '2,12p' "$0"; exit 0 ;;
    *) echo "unknown argument: $1" >&2; exit 64 ;;
  esac
done

log() { echo "[run.sh $(date -u +%H:%M:%S)] $*" >&2; }

# --- build if needed ---------------------------------------------------------------------------------------
JAR=target/quarkus-app/quarkus-run.jar
if [ "$REBUILD" = 1 ] || [ ! -f "$JAR" ] || [ -n "$(find pom.xml src/main application.properties -newer "$JAR" -print -quit)" ]; then
  log "building Weft (mvn -B -q package -DskipTests)"
  mvn -B -q package -DskipTests
fi

# --- wait (bounded) for a quiet machine: other jobs on the same cores distort every figure ---------------------
busy_pct() { # percent of all cores busy over 2 s, from /proc/stat
  local a b
  a=($(head -1 /proc/stat)); sleep 2; b=($(head -1 /proc/stat))
  local idle=$(( (b[4]+b[5]) - (a[4]+a[5]) )) total=0 i
  for i in 1 2 3 4 5 6 7 8; do total=$(( total + b[i] - a[i] )); done
  echo $(( total > 0 ? 100 * (total - idle) / total : 0 ))
}
QUIET_WAIT=${QUIET_WAIT:-180}
waited=0
busy=$(busy_pct)
while [ "$busy" -gt 20 ] && [ $waited -lt "$QUIET_WAIT" ]; do
  log "machine is ${busy}% busy before the run (other processes); waiting for it to settle"
  sleep 8; waited=$((waited + 10)); busy=$(busy_pct)
done
MACHINE_BEFORE="${busy}% of $(nproc) cores busy over 2 s just before start (waited ${waited} s for <= 20%), load average $(cut -d' ' -f1-3 /proc/loadavg)"
log "$MACHINE_BEFORE"

# --- fresh database ----------------------------------------------------------------------------------------
log "recreating database $DB"
psql -h $PGHOST -U postgres -d postgres -qAtc "DROP DATABASE IF EXISTS $DB WITH (FORCE)" >/dev/null
psql -h $PGHOST -U postgres -d postgres -qAtc "CREATE DATABASE $DB" >/dev/null

STAMP=$(date -u +%Y%m%dT%H%M%SZ)
WORK=bench/target/work-$STAMP
mkdir -p "$WORK" bench/results
OUT=${RESULT_FILE:-bench/results/$STAMP-erp-flow.md}

BENCH_PID=
WEFT_PID=
cleanup() {
  for pid in $WEFT_PID $BENCH_PID; do
    if kill -0 "$pid" 2>/dev/null; then kill "$pid" 2>/dev/null || true; fi
  done
}
trap cleanup EXIT

# --- settings recorded in the results ----------------------------------------------------------------------
setting() { # effective value: a -D override in WEFT_OPTS wins over application.properties
  local key=$1 v
  v=$(printf '%s\n' $WEFT_OPTS | sed -n "s/^-D$key=//p" | tail -1)
  [ -n "$v" ] || v=$(sed -n "s/^$key=//p" application.properties | tail -1)
  echo "$key=$v"
}
{
  echo "Weft commit=$(git rev-parse --short HEAD)$(git diff --quiet HEAD -- src application.properties || echo ' (with uncommitted changes)')"
  echo "Weft JVM options=${WEFT_JAVA_OPTS:-(the JVM defaults)}; MALLOC_ARENA_MAX=$MALLOC_ARENA_MAX"
  echo "Weft -D overrides=${WEFT_OPTS:-(none)}"
  for k in weft.delivery.concurrency weft.delivery.batch-size weft.delivery.poll-interval \
           quarkus.datasource.pg.jdbc.max-size camel.component.http.max-total-connections \
           camel.component.http.connections-per-route; do
    setting "$k"
  done
  echo "PostgreSQL=$(psql -h $PGHOST -U postgres -d postgres -qAtc 'SHOW server_version') (synchronous_commit=$(psql -h $PGHOST -U postgres -d postgres -qAtc 'SHOW synchronous_commit'), fsync=$(psql -h $PGHOST -U postgres -d postgres -qAtc 'SHOW fsync'))"
} > "$WORK/settings.txt"

# --- sinks + load generator (one JVM, waits for the go signal) ---------------------------------------------
log "starting sinks (MES :$MES_PORT, WMS :$WMS_PORT) and load generator"
java -Xmx2g -XX:+UseParallelGC bench/ErpFlowBench.java \
  --weft "http://127.0.0.1:$PORT" --mes-port "$MES_PORT" --wms-port "$WMS_PORT" \
  --rate "$RATE" --duration "$DURATION" --warmup "$WARMUP" --drain-timeout "$DRAIN_TIMEOUT" --connections "$CONNECTIONS" \
  --work "$WORK" --out "$OUT" --settings "$WORK/settings.txt" --pg-db "$DB" --machine-before "$MACHINE_BEFORE" \
  $BENCH_OPTS > "$WORK/bench.out" 2> "$WORK/bench.log" &
BENCH_PID=$!
for _ in $(seq 1 600); do
  [ -f "$WORK/sinks.ready" ] && break
  kill -0 $BENCH_PID 2>/dev/null || { cat "$WORK/bench.log" >&2; log "bench program died"; exit 1; }
  sleep 0.1
done
[ -f "$WORK/sinks.ready" ] || { log "sinks did not come up within 60 s"; exit 1; }

# --- Weft --------------------------------------------------------------------------------------------------
# The sample plant's WMS takes files; the benchmark measures the REST flow (both destinations over HTTP), so
# Weft runs on a copy of routes/ whose WMS outbound posts JSON to the WMS sink (bench/routes/wms.camel.yaml).
rm -rf "$WORK/routes"
cp -r routes "$WORK/routes"
cp bench/routes/wms.camel.yaml "$WORK/routes/systems/wms.camel.yaml"
log "starting Weft on :$PORT (log: $WORK/weft.log)"
# shellcheck disable=SC2086
java $WEFT_JAVA_OPTS -Dquarkus.profile=pg \
  -Dquarkus.datasource.pg.jdbc.url=jdbc:postgresql://$PGHOST:5432/$DB -Dquarkus.datasource.pg.username=postgres \
  -Dweft.systems.mes.url=http://127.0.0.1:$MES_PORT -Dweft.systems.wms.url=http://127.0.0.1:$WMS_PORT \
  -Dquarkus.http.port=$PORT -Dquarkus.management.port=$MGMT_PORT -Dweft.systems.erp.api-keys="$BENCH_ERP_KEY_HASH" \
  -Dweft.inbound.rate-limit=0 -Dweft.instance-id=bench -Dweft.routes-dir="$WORK/routes" $WEFT_OPTS \
  -jar "$JAR" > "$WORK/weft.log" 2>&1 &
WEFT_PID=$!
echo $WEFT_PID > "$WORK/weft.pid"
ready=0
for _ in $(seq 1 240); do
  kill -0 $WEFT_PID 2>/dev/null || { tail -40 "$WORK/weft.log" >&2; log "Weft exited during start"; exit 1; }
  if [ "$(curl -s -o /dev/null -w '%{http_code}' --max-time 2 "http://127.0.0.1:$MGMT_PORT/q/health/ready")" = 200 ]; then
    ready=1; break
  fi
  sleep 0.5
done
[ $ready = 1 ] || { log "Weft not ready within 120 s"; exit 1; }
case " $BENCH_OPTS " in
  *" --closed-loop true "*) log "Weft ready; load: closed loop on $CONNECTIONS connections for $DURATION s after $WARMUP s warm-up" ;;
  *) log "Weft ready; load: $RATE orders/s for $DURATION s after $WARMUP s warm-up" ;;
esac
touch "$WORK/go"

# --- wait for the load generator (bounded) -----------------------------------------------------------------
limit=$(( WARMUP + DURATION + DRAIN_TIMEOUT + 120 ))
waited=0
while kill -0 $BENCH_PID 2>/dev/null; do
  if [ $waited -ge $limit ]; then log "bench program still running after $limit s; stopping it"; kill $BENCH_PID; break; fi
  sleep 1; waited=$((waited + 1))
done
bench_rc=0; wait $BENCH_PID || bench_rc=$?
BENCH_PID=

# --- stop Weft ---------------------------------------------------------------------------------------------
log "stopping Weft"
kill $WEFT_PID 2>/dev/null || true
for _ in $(seq 1 300); do kill -0 $WEFT_PID 2>/dev/null || break; sleep 0.1; done
if kill -0 $WEFT_PID 2>/dev/null; then log "Weft did not stop within 30 s; killing it"; kill -9 $WEFT_PID || true; fi
wait $WEFT_PID 2>/dev/null || true
WEFT_PID=

cat "$WORK/bench.log" >&2
if [ $bench_rc != 0 ] || [ ! -f "$OUT" ]; then log "bench program failed (exit $bench_rc)"; exit 1; fi
if [ -z "$RESULT_FILE" ]; then
  cp "$OUT" bench/results/latest.md
  log "results: $OUT (and bench/results/latest.md)"
else
  log "results: $OUT"
fi
cat "$OUT"
