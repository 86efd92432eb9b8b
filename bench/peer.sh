#!/usr/bin/env bash
# Peer benchmark: the same ERP -> MES + WMS flow in Node-RED 4.1.8 (bench/peer/flows.json, nothing persisted) and
# in Weft on PostgreSQL, one after the other, with the same load generator and the same sinks
# (bench/ErpFlowBench.java). See bench/README.md, "Peer benchmark: Node-RED".
#
#   bench/peer.sh [--duration S] [--warmup S] [--connections C] [--rate R] [--drain-timeout S] [--note TEXT]
#                 [--only node-red|weft]
#     default: closed loop, 32 connections (as the issue's wrk), 60 s measured after a 60 s warm-up, per process
#     --rate R     open loop at R orders/s instead (the generator's schedule; see bench/README.md)
#     --note TEXT  a line for the result file (e.g. "smoke run on a busy machine")
#   env: NODE_RED_PORT (18380), PORT / MGMT_PORT (Weft, 18080 / 19000), MES_PORT / WMS_PORT (18091 / 18092),
#        DB (weft_bench), QUIET_WAIT (180 s, before each of the two runs), WEFT_OPTS, WEFT_JAVA_OPTS
#
# Writes bench/results/<UTC time>-peer.md: per process orders/s accepted and delivered to both sinks, p50/p99
# accept latency, CPU seconds per order (/proc/<pid>/stat), resident memory (VmRSS), the ratio Weft / Node-RED,
# and the machine's load; the two full reports of the generator follow. Work files: bench/target/peer-<time>/.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)

DURATION=${DURATION:-60}
WARMUP=${WARMUP:-60}
CONNECTIONS=${CONNECTIONS:-32}
DRAIN_TIMEOUT=${DRAIN_TIMEOUT:-120}
RATE=
NOTE=${NOTE:-}
ONLY=
NODE_RED_PORT=${NODE_RED_PORT:-18380}
MES_PORT=${MES_PORT:-18091}
WMS_PORT=${WMS_PORT:-18092}
QUIET_WAIT=${QUIET_WAIT:-180}
NODE_RED_VERSION=4.1.8
while [ $# -gt 0 ]; do
  case "$1" in
    --duration) DURATION=$2; shift 2 ;;
    --warmup) WARMUP=$2; shift 2 ;;
    --connections) CONNECTIONS=$2; shift 2 ;;
    --rate) RATE=$2; shift 2 ;;
    --drain-timeout) DRAIN_TIMEOUT=$2; shift 2 ;;
    --note) NOTE=$2; shift 2 ;;
    --only) ONLY=$2; shift 2 ;;
    -h|--help) sed -n '2,18p' "$0"; exit 0 ;;
    *) echo "unknown argument: $1" >&2; exit 64 ;;
  esac
done
case "$ONLY" in ""|node-red|weft) ;; *) echo "--only node-red|weft" >&2; exit 64 ;; esac

log() { echo "[peer.sh $(date -u +%H:%M:%S)] $*" >&2; }

# Load: closed loop by default; --rate: open loop. In a closed loop --rate only sizes the generator's order arrays
# (at most rate x seconds orders per phase), so it is set well above what either process can do here.
if [ -n "$RATE" ]; then
  LOAD_OPTS=(--rate "$RATE")
  BENCH_LOAD_OPTS=""
  LOAD_DESC="open loop, $RATE orders/s offered, $CONNECTIONS keep-alive connections"
else
  SIZE_RATE=$(( 5000000 / (DURATION + WARMUP) )); [ $SIZE_RATE -gt 20000 ] && SIZE_RATE=20000
  LOAD_OPTS=(--rate "$SIZE_RATE")
  BENCH_LOAD_OPTS="--closed-loop true"
  LOAD_DESC="closed loop, $CONNECTIONS keep-alive connections, each sends its next order when the previous one is answered"
fi

# --- Node-RED from npm, pinned (bench/peer/package.json + package-lock.json), into bench/target/node-red --------
NR_DIR=bench/target/node-red
RED_JS=$NR_DIR/node_modules/node-red/red.js
installed=$(node -e "try{console.log(require('./$NR_DIR/node_modules/node-red/package.json').version)}catch(e){}" 2>/dev/null || true)
if [ "$ONLY" != weft ] && [ "$installed" != "$NODE_RED_VERSION" ]; then
  log "installing Node-RED $NODE_RED_VERSION into $NR_DIR (npm ci from bench/peer/package-lock.json)"
  mkdir -p "$NR_DIR"
  cp bench/peer/package.json bench/peer/package-lock.json "$NR_DIR/"
  (cd "$NR_DIR" && npm ci --no-audit --no-fund)
fi

if [ "$ONLY" != weft ]; then
  # the flow's two JSONata expressions must produce what Weft's mappings produce (the ERP example order)
  node bench/peer/check-flow.js >&2 || { log "bench/peer/flows.json does not map like mappings/ (see above)"; exit 1; }
fi

# --- Weft's jar first, so that no build runs between the two measurements -------------------------------------
JAR=target/quarkus-app/quarkus-run.jar
if [ "$ONLY" != node-red ] && { [ ! -f "$JAR" ] || [ -n "$(find pom.xml src/main application.properties -newer "$JAR" -print -quit)" ]; }; then
  log "building Weft (mvn -B -q package -DskipTests)"
  mvn -B -q package -DskipTests
fi

busy_pct() { # percent of all cores busy over 2 s, from /proc/stat (as in run.sh)
  local a b
  a=($(head -1 /proc/stat)); sleep 2; b=($(head -1 /proc/stat))
  local idle=$(( (b[4]+b[5]) - (a[4]+a[5]) )) total=0 i
  for i in 1 2 3 4 5 6 7 8; do total=$(( total + b[i] - a[i] )); done
  echo $(( total > 0 ? 100 * (total - idle) / total : 0 ))
}
quiet_wait() { # waits (at most QUIET_WAIT s) for <= 20 % busy; prints what it found
  local waited=0 busy
  busy=$(busy_pct)
  while [ "$busy" -gt 20 ] && [ $waited -lt "$QUIET_WAIT" ]; do
    log "machine is ${busy}% busy (other processes); waiting for it to settle"
    sleep 8; waited=$((waited + 10)); busy=$(busy_pct)
  done
  echo "${busy}% of $(nproc) cores busy over 2 s just before start (waited ${waited} s for <= 20%), load average $(cut -d' ' -f1-3 /proc/loadavg)"
}

STAMP=$(date -u +%Y%m%dT%H%M%SZ)
WORK=$ROOT/bench/target/peer-$STAMP
mkdir -p "$WORK" bench/results
OUT=bench/results/$STAMP-peer.md

BENCH_PID=
NR_PID=
cleanup() {
  for pid in $NR_PID $BENCH_PID; do
    if kill -0 "$pid" 2>/dev/null; then kill "$pid" 2>/dev/null || true; fi
  done
}
trap cleanup EXIT

# --- 1. Node-RED ------------------------------------------------------------------------------------------------
NR_BEFORE="(not run)"; NR_AFTER=""
if [ "$ONLY" != weft ]; then
  NR_BEFORE=$(quiet_wait); log "Node-RED run: $NR_BEFORE"
  NRW=$WORK/node-red
  mkdir -p "$NRW"
  log "starting sinks (MES :$MES_PORT, WMS :$WMS_PORT) and load generator for Node-RED"
  # shellcheck disable=SC2086
  java -Xmx2g -XX:+UseParallelGC bench/ErpFlowBench.java \
    --weft "http://127.0.0.1:$NODE_RED_PORT" --label Node-RED --expect-duplicate-false false \
    --mes-port "$MES_PORT" --wms-port "$WMS_PORT" "${LOAD_OPTS[@]}" $BENCH_LOAD_OPTS \
    --duration "$DURATION" --warmup "$WARMUP" --drain-timeout "$DRAIN_TIMEOUT" --connections "$CONNECTIONS" \
    --work "$NRW" --out "$WORK/node-red.md" --summary "$WORK/node-red.summary" --machine-before "$NR_BEFORE" \
    > "$NRW/bench.out" 2> "$NRW/bench.log" &
  BENCH_PID=$!
  for _ in $(seq 1 600); do
    [ -f "$NRW/sinks.ready" ] && break
    kill -0 $BENCH_PID 2>/dev/null || { cat "$NRW/bench.log" >&2; log "bench program died"; exit 1; }
    sleep 0.1
  done
  [ -f "$NRW/sinks.ready" ] || { log "sinks did not come up within 60 s"; exit 1; }
  log "starting Node-RED $NODE_RED_VERSION on :$NODE_RED_PORT (log: $NRW/node-red.log)"
  mkdir -p "$NRW/user"
  NODE_RED_PORT=$NODE_RED_PORT NODE_RED_USER_DIR=$NRW/user \
    MES_URL=http://127.0.0.1:$MES_PORT/api/work-orders WMS_URL=http://127.0.0.1:$WMS_PORT/orders \
    node "$RED_JS" --settings bench/peer/settings.js > "$NRW/node-red.log" 2>&1 &
  NR_PID=$!
  echo $NR_PID > "$NRW/weft.pid" # the generator reads the pid under test from here
  ready=0
  for _ in $(seq 1 240); do
    kill -0 $NR_PID 2>/dev/null || { tail -40 "$NRW/node-red.log" >&2; log "Node-RED exited during start"; exit 1; }
    if [ "$(curl -s -o /dev/null -w '%{http_code}' --max-time 2 "http://127.0.0.1:$NODE_RED_PORT/ready")" = 200 ]; then
      ready=1; break
    fi
    sleep 0.5
  done
  [ $ready = 1 ] || { log "Node-RED not ready within 120 s"; exit 1; }
  log "Node-RED ready; load: $LOAD_DESC, $DURATION s after $WARMUP s warm-up"
  touch "$NRW/go"
  limit=$(( WARMUP + DURATION + DRAIN_TIMEOUT + 120 )); waited=0
  while kill -0 $BENCH_PID 2>/dev/null; do
    if [ $waited -ge $limit ]; then log "bench program still running after $limit s; stopping it"; kill $BENCH_PID; break; fi
    sleep 1; waited=$((waited + 1))
  done
  bench_rc=0; wait $BENCH_PID || bench_rc=$?
  BENCH_PID=
  NR_AFTER="load average $(cut -d' ' -f1-3 /proc/loadavg) at the end"
  log "stopping Node-RED"
  kill $NR_PID 2>/dev/null || true
  for _ in $(seq 1 100); do kill -0 $NR_PID 2>/dev/null || break; sleep 0.1; done
  kill -0 $NR_PID 2>/dev/null && kill -9 $NR_PID 2>/dev/null || true
  wait $NR_PID 2>/dev/null || true
  NR_PID=
  cat "$NRW/bench.log" >&2
  if [ $bench_rc != 0 ] || [ ! -f "$WORK/node-red.summary" ]; then log "Node-RED run failed (exit $bench_rc)"; exit 1; fi
fi

# --- 2. Weft on PostgreSQL, through run.sh (same generator, same sinks, same load) -------------------------------
WEFT_BEFORE="(not run)"; WEFT_AFTER=""
if [ "$ONLY" != node-red ]; then
  log "Weft run (bench/run.sh; its own quiet wait, at most $QUIET_WAIT s)"
  QUIET_WAIT=$QUIET_WAIT MES_PORT=$MES_PORT WMS_PORT=$WMS_PORT RESULT_FILE="$WORK/weft.md" \
    BENCH_OPTS="--label Weft --summary $WORK/weft.summary $BENCH_LOAD_OPTS" \
    bench/run.sh "${LOAD_OPTS[@]}" --duration "$DURATION" --warmup "$WARMUP" --drain-timeout "$DRAIN_TIMEOUT" \
    --connections "$CONNECTIONS" > "$WORK/weft-run.out"
  WEFT_AFTER="load average $(cut -d' ' -f1-3 /proc/loadavg) at the end"
  WEFT_BEFORE=$(sed -n 's/^Machine before the run: //p' "$WORK/weft.md")
  [ -f "$WORK/weft.summary" ] || { log "Weft run wrote no summary"; exit 1; }
fi

# --- 3. the result file ------------------------------------------------------------------------------------------
get() { # get FILE KEY
  [ -f "$1" ] && sed -n "s/^$2=//p" "$1" | head -1 || echo ""
}
N=$WORK/node-red.summary
W=$WORK/weft.summary
f1() { awk -v v="$1" 'BEGIN { if (v == "" || v < 0) print "n/a"; else if (v >= 100) printf "%.0f", v; else printf "%.2f", v }'; }
ratio() { awk -v w="$1" -v n="$2" 'BEGIN { if (w == "" || n == "" || w < 0 || n <= 0) print "n/a"; else printf "%.2f", w / n }'; }
cores() { awk -v c="$1" -v s="$2" 'BEGIN { if (c == "" || s == "" || s <= 0 || c < 0) print "n/a"; else printf "%.2f", c / s }'; }
other() { awk -v m="$(get "$1" machine_cpu_s)" -v t="$(get "$1" cpu_s)" -v p="$(get "$1" pg_cpu_s)" -v b="$(get "$1" bench_cpu_s)" \
  -v s="$(get "$1" load_wall_s)" 'BEGIN { if (m == "" || s <= 0) print "n/a"; else printf "%.2f", (m - (t > 0 ? t : 0) - (p > 0 ? p : 0) - (b > 0 ? b : 0)) / s }'; }
row() { # row LABEL KEY [higher|lower]
  local n w; n=$(get "$N" "$2"); w=$(get "$W" "$2")
  echo "| $1 | $(f1 "$n") | $(f1 "$w") | $(ratio "$w" "$n") |"
}
weft_pg_per_order=$(awk -v p="$(get "$W" pg_cpu_s)" -v a="$(get "$W" accepted)" 'BEGIN { if (a > 0 && p >= 0) printf "%.3f", p * 1000 / a; else print "" }')
weft_total_per_order=$(awk -v c="$(get "$W" cpu_ms_per_order)" -v p="$weft_pg_per_order" 'BEGIN { if (c > 0 && p != "") printf "%.3f", c + p; else print "" }')
{
  echo "# Peer benchmark: Node-RED $NODE_RED_VERSION vs Weft on PostgreSQL, ERP -> MES + WMS"
  echo
  echo "Run $STAMP, Weft commit $(git rev-parse --short HEAD)$(git diff --quiet HEAD -- src application.properties || echo ' (with uncommitted changes)'), \`bench/peer.sh --duration $DURATION --warmup $WARMUP --connections $CONNECTIONS${RATE:+ --rate $RATE}\`."
  [ -n "$NOTE" ] && { echo; echo "**$NOTE**"; }
  echo
  echo "Load: $LOAD_DESC; $WARMUP s warm-up (not counted, its backlog let clear), then $DURATION s measured, per process."
  echo "Same generator and sinks (\`bench/ErpFlowBench.java\`) for both; the two ran one after the other, never at the same"
  echo "time. Node-RED: \`bench/peer/flows.json\` (HTTP in, two JSONata change nodes, two HTTP requests, 202 at once,"
  echo "nothing persisted). Weft: \`bench/run.sh\`, \`pg\` profile, every order journaled and every attempt recorded."
  echo "CPU: utime + stime of the process under test (\`/proc/<pid>/stat\`) over the measured phase; memory: its VmRSS at"
  echo "the end of the measured phase (peak VmHWM in brackets). $(nproc) cores, $(awk '/MemTotal/ { printf "%.1f GiB", $2/1048576 }' /proc/meminfo), $(sed -n 's/^model name[^:]*: //p' /proc/cpuinfo | head -1)."
  echo
  echo "| | Node-RED $NODE_RED_VERSION | Weft (PostgreSQL) | Weft / Node-RED |"
  echo "|---|---|---|---|"
  row "orders accepted (202)" accepted
  row "orders delivered to both MES and WMS" delivered_both
  row "**accepted orders/s**" accepted_per_s
  row "**orders/s delivered to both**" delivered_per_s
  row "accept latency p50 (ms)" accept_p50_ms
  row "accept latency p99 (ms)" accept_p99_ms
  row "CPU s of the process (measured phase)" cpu_s
  echo "| cores busy (process) | $(cores "$(get "$N" cpu_s)" "$(get "$N" load_wall_s)") | $(cores "$(get "$W" cpu_s)" "$(get "$W" load_wall_s)") | |"
  row "**CPU ms per accepted order** (process)" cpu_ms_per_order
  echo "| PostgreSQL CPU ms per accepted order | (not used) | $(f1 "$weft_pg_per_order") | |"
  echo "| CPU ms per accepted order, process + its database | $(f1 "$(get "$N" cpu_ms_per_order)") | $(f1 "$weft_total_per_order") | $(ratio "$weft_total_per_order" "$(get "$N" cpu_ms_per_order)") |"
  echo "| resident memory VmRSS MiB (peak VmHWM) | $(f1 "$(get "$N" rss_mib)") ($(f1 "$(get "$N" hwm_mib)")) | $(f1 "$(get "$W" rss_mib)") ($(f1 "$(get "$W" hwm_mib)")) | $(ratio "$(get "$W" rss_mib)" "$(get "$N" rss_mib)") |"
  echo "| errors | $(get "$N" errors) | $(get "$W" errors) | |"
  echo "| deliveries missing at drain timeout / sink duplicates | $(get "$N" missing_deliveries) / $(get "$N" sink_duplicates) | $(get "$W" missing_deliveries) / $(get "$W" sink_duplicates) | |"
  echo
  echo "## Machine load while it ran"
  echo
  echo "| | Node-RED run | Weft run |"
  echo "|---|---|---|"
  echo "| before | $NR_BEFORE | $WEFT_BEFORE |"
  echo "| after | $NR_AFTER | $WEFT_AFTER |"
  echo "| cores busy, whole machine, measured phase | $(cores "$(get "$N" machine_cpu_s)" "$(get "$N" load_wall_s)") of $(nproc) | $(cores "$(get "$W" machine_cpu_s)" "$(get "$W" load_wall_s)") of $(nproc) |"
  echo "| of which the generator + sinks | $(cores "$(get "$N" bench_cpu_s)" "$(get "$N" load_wall_s)") | $(cores "$(get "$W" bench_cpu_s)" "$(get "$W" load_wall_s)") |"
  echo "| of which PostgreSQL (all postgres processes; n/a: some ended during the phase) | $(cores "$(get "$N" pg_cpu_s)" "$(get "$N" load_wall_s)") (not Node-RED's: other users') | $(cores "$(get "$W" pg_cpu_s)" "$(get "$W" load_wall_s)") |"
  echo "| of which everything else (other processes, kernel) | $(other "$N") | $(other "$W") |"
  echo
  echo "Figures are comparable only when \"everything else\" is near 0 in both runs: other jobs on the same cores"
  echo "take CPU from whichever process is being measured."
  for part in node-red weft; do
    if [ -f "$WORK/$part.md" ]; then
      echo
      sed -e 's/^## /### /' -e 's/^# /## /' "$WORK/$part.md"
    fi
  done
} > "$OUT"
# The chart: both processes side by side (orders/s, p99 ms, CPU per order x 100 to share the axis).
TSV=${OUT%.md}.tsv
{
  echo -e "process\taccepted orders/s\tdelivered to both /s\taccept p99 ms\tCPU us per order / 10 (with its database)"
  for part in N W; do
    f=${!part}; label=$([ $part = N ] && echo "Node-RED $NODE_RED_VERSION" || echo "Weft (PostgreSQL)")
    per=$([ $part = N ] && get "$N" cpu_ms_per_order || echo "$weft_total_per_order")
    echo -e "$label\t$(get "$f" accepted_per_s)\t$(get "$f" delivered_per_s)\t$(get "$f" accept_p99_ms)\t$(awk -v c="$per" 'BEGIN { printf "%.0f", c * 100 }')"
  done
} > "$TSV"
bench/chart.sh "$TSV" "${OUT%.md}.png" "ERP -> MES + WMS: Node-RED $NODE_RED_VERSION vs Weft on PostgreSQL" >/dev/null || true
log "results: $OUT, $TSV, ${OUT%.md}.png (work files: $WORK)"
cat "$OUT"
