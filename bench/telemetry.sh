#!/usr/bin/env bash
# Weft benchmark: MQTT telemetry through the IoT spoke, on PostgreSQL, against a private Mosquitto. See bench/README.md.
#
#   bench/telemetry.sh [--rate N] [--duration S] [--warmup S] [--drain-timeout S] [--connections N]
#                      [--alarm-share PCT] [--bad-share PCT] [--machines N] [--faults] [--rebuild]
#                      [--weft-opt -Dkey=value]...    (each flag also as env: RATE, DURATION, WARMUP, DRAIN_TIMEOUT,
#                                                      CONNECTIONS, ALARM_SHARE, BAD_SHARE, MACHINES, WEFT_OPTS)
#   --faults          kill -9 Weft a third into the measured phase (and start it again), restart the broker at two
#                     thirds; then check that nothing the broker acknowledged was lost
#   --jfr FILE        a JFR recording (settings=profile) of Weft over the measured phase, to FILE
#   --alarm-share 100 every reading past the limit on a machine of its own: the alarm journaling rate
#   NOTE              a line for the result file (e.g. "busy machine: figures are lower bounds")
#   WEFT_JAVA_OPTS    options for Weft's JVM (e.g. -XX:StartFlightRecording=...)
#   WEFT_JAR          run this quarkus-run.jar instead of building and running target/quarkus-app
#
# Writes bench/results/<UTC time>-telemetry.md, the per-second series <same>.tsv and, with gnuplot, <same>.png.
set -euo pipefail
cd "$(dirname "$0")/.."

RATE=${RATE:-20000}
DURATION=${DURATION:-60}
WARMUP=${WARMUP:-90}
DRAIN_TIMEOUT=${DRAIN_TIMEOUT:-240}
CONNECTIONS=${CONNECTIONS:-4}
ALARM_SHARE=${ALARM_SHARE:-1}
BAD_SHARE=${BAD_SHARE:-0}
MACHINES=${MACHINES:-1000}
PORT=${PORT:-18380}
MGMT_PORT=${MGMT_PORT:-19380}
BROKER_PORT=${BROKER_PORT:-18383}
DB=${DB:-weft_telemetry}
WEFT_OPTS=${WEFT_OPTS:-}
WEFT_JAVA_OPTS=${WEFT_JAVA_OPTS:-}
QUIET_WAIT=${QUIET_WAIT:-120}
FAULTS=0
REBUILD=0
JFR=
while [ $# -gt 0 ]; do
  case "$1" in
    --rate) RATE=$2; shift 2 ;;
    --duration) DURATION=$2; shift 2 ;;
    --warmup) WARMUP=$2; shift 2 ;;
    --drain-timeout) DRAIN_TIMEOUT=$2; shift 2 ;;
    --connections) CONNECTIONS=$2; shift 2 ;;
    --alarm-share) ALARM_SHARE=$2; shift 2 ;;
    --bad-share) BAD_SHARE=$2; shift 2 ;;
    --machines) MACHINES=$2; shift 2 ;;
    --faults) FAULTS=1; shift ;;
    --jfr) JFR=$2; shift 2 ;;
    --weft-opt) WEFT_OPTS="$WEFT_OPTS $2"; shift 2 ;;
    --rebuild) REBUILD=1; shift ;;
    -h|--help) sed -n '2,14p' "$0"; exit 0 ;;
    *) echo "unknown argument: $1" >&2; exit 64 ;;
  esac
done
MODE=throughput
[ "$FAULTS" = 1 ] && MODE=faults
[ "$ALARM_SHARE" = 100 ] && MODE="$MODE, alarms only"

log() { echo "[telemetry.sh $(date -u +%H:%M:%S)] $*" >&2; }

JAR=${WEFT_JAR:-target/quarkus-app/quarkus-run.jar}   # WEFT_JAR: another build (e.g. a baseline's copy), not rebuilt
if [ -z "${WEFT_JAR:-}" ] && { [ "$REBUILD" = 1 ] || [ ! -f "$JAR" ] || [ -n "$(find pom.xml src/main application.properties -newer "$JAR" -print -quit)" ]; }; then
  log "building Weft (mvn -B -q -o package -DskipTests)"
  mvn -B -q -o package -DskipTests
fi
M2=${M2:-$HOME/.m2/repository}
CP="$M2/org/eclipse/paho/org.eclipse.paho.mqttv5.client/1.2.5/org.eclipse.paho.mqttv5.client-1.2.5.jar"
CP="$CP:$(ls "$M2"/org/postgresql/postgresql/42.7.*/postgresql-42.7.*.jar | sort -V | tail -1)"

# --- a quiet machine, as far as it can be had: other jobs on the same two cores distort every figure -----------
busy_pct() {
  local a b
  a=($(head -1 /proc/stat)); sleep 2; b=($(head -1 /proc/stat))
  local idle=$(( (b[4]+b[5]) - (a[4]+a[5]) )) total=0 i
  for i in 1 2 3 4 5 6 7 8; do total=$(( total + b[i] - a[i] )); done
  echo $(( total > 0 ? 100 * (total - idle) / total : 0 ))
}
waited=0
busy=$(busy_pct)
while [ "$busy" -gt 20 ] && [ $waited -lt "$QUIET_WAIT" ]; do
  log "machine is ${busy}% busy before the run (other processes); waiting for it to settle"
  sleep 8; waited=$((waited + 10)); busy=$(busy_pct)
done
MACHINE_BEFORE="${busy}% of $(nproc) cores busy over 2 s just before start (waited ${waited} s for <= 20%), load average $(cut -d' ' -f1-3 /proc/loadavg)"
log "$MACHINE_BEFORE"

log "recreating database $DB"
psql -h 127.0.0.1 -U postgres -d postgres -qAtc "DROP DATABASE IF EXISTS $DB WITH (FORCE)" >/dev/null
psql -h 127.0.0.1 -U postgres -d postgres -qAtc "CREATE DATABASE $DB" >/dev/null

STAMP=$(date -u +%Y%m%dT%H%M%SZ)
WORK=$(pwd)/bench/target/telemetry-$STAMP
mkdir -p "$WORK/broker" bench/results
OUT=bench/results/$STAMP-telemetry.md
TSV=bench/results/$STAMP-telemetry.tsv

WEFT_PID=
BROKER_PID=
GEN_PID=
cleanup() {
  for pid in $GEN_PID $WEFT_PID $BROKER_PID; do
    if kill -0 "$pid" 2>/dev/null; then kill "$pid" 2>/dev/null || true; fi
  done
}
trap cleanup EXIT

# --- the private broker: persistent, and with no limit that would drop or throttle what Weft has not taken yet ---
# max_queued_messages 0: Mosquitto's default (1000 per session) drops QoS 1 readings queued beyond it while Weft
# is away (a kill -9 at 20,000/s queues that many in 50 ms). max_inflight_messages: what it sends unacknowledged.
cat > "$WORK/broker/mosquitto.conf" <<EOF
listener $BROKER_PORT 127.0.0.1
allow_anonymous true
persistence true
persistence_location $WORK/broker/
max_inflight_messages 0
max_queued_messages 0
max_queued_bytes 0
sys_interval 1
user root
log_dest file $WORK/broker/mosquitto.log
EOF
start_broker() {
  mosquitto -c "$WORK/broker/mosquitto.conf" &
  BROKER_PID=$!
  echo $BROKER_PID > "$WORK/mosquitto.pid"
  for _ in $(seq 1 100); do
    (exec 3<>/dev/tcp/127.0.0.1/$BROKER_PORT) 2>/dev/null && return 0
    sleep 0.1
  done
  log "mosquitto did not listen on $BROKER_PORT"; exit 1
}
start_broker
event() { echo "$(date -u +%H:%M:%S.%3N) $*" >> "$WORK/events.txt"; log "$*"; }

{
  echo "| setting | value |"
  echo "|---|---|"
  if [ -n "${WEFT_JAR:-}" ]; then echo "| Weft build | $WEFT_JAR (the bench from $(git rev-parse --short HEAD)) |"
  else echo "| Weft commit | $(git rev-parse --short HEAD)$(git diff --quiet HEAD -- src application.properties routes mappings || echo ' (with uncommitted changes)') |"; fi
  echo "| Weft JVM options | ${WEFT_JAVA_OPTS:-(defaults)} |"
  echo "| Weft -D overrides | ${WEFT_OPTS:-(none)} |"
  echo "| store | PostgreSQL $(psql -h 127.0.0.1 -U postgres -d postgres -qAtc 'SHOW server_version') (synchronous_commit=$(psql -h 127.0.0.1 -U postgres -d postgres -qAtc 'SHOW synchronous_commit'), fsync=$(psql -h 127.0.0.1 -U postgres -d postgres -qAtc 'SHOW fsync')), database $DB |"
  echo "| broker | $(mosquitto -h 2>/dev/null | head -1 | sed 's/ is an.*//'), private on :$BROKER_PORT, persistence on, max_inflight_messages 0, max_queued_messages 0 |"
  echo "| MES | paused (destination_pause): each alarm is journaled with its MES delivery, which waits; bench/run.sh measures delivery |"
  echo "| machine | $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)), $(free -g | awk '/Mem:/ {print $2}') GiB; generator, broker, PostgreSQL and Weft on the one machine |"
  echo "| before the run | $MACHINE_BEFORE |"
  [ -z "${NOTE:-}" ] || echo "| note | $NOTE |"
} > "$WORK/settings.md"

log "starting the generator ($CONNECTIONS connections)"
java -Xmx1g -XX:+UseParallelGC -cp "$CP" bench/TelemetryBench.java --broker "tcp://127.0.0.1:$BROKER_PORT" \
  --metrics "http://127.0.0.1:$MGMT_PORT/q/metrics" --pg "jdbc:postgresql://127.0.0.1:5432/$DB?user=postgres" \
  --rate "$RATE" --duration "$DURATION" --warmup "$WARMUP" --drain-timeout "$DRAIN_TIMEOUT" \
  --connections "$CONNECTIONS" --alarm-share "$ALARM_SHARE" --bad-share "$BAD_SHARE" --machines "$MACHINES" \
  --work "$WORK" --out "$OUT" --tsv "$TSV" --mode "$MODE" > "$WORK/generator.out" 2> "$WORK/generator.log" &
GEN_PID=$!
for _ in $(seq 1 600); do
  [ -f "$WORK/generator.ready" ] && break
  kill -0 $GEN_PID 2>/dev/null || { cat "$WORK/generator.log" >&2; log "generator died"; exit 1; }
  sleep 0.1
done

start_weft() { # $1: log name
  # shellcheck disable=SC2086
  java $WEFT_JAVA_OPTS -Dquarkus.profile=pg \
    -Dquarkus.datasource.pg.jdbc.url=jdbc:postgresql://127.0.0.1:5432/$DB -Dquarkus.datasource.pg.username=postgres \
    -Dquarkus.http.port=$PORT -Dquarkus.management.port=$MGMT_PORT -Dweft.instance-id=telemetry-bench \
    -Dweft.systems.iot.broker-url=tcp://127.0.0.1:$BROKER_PORT -Dweft.systems.mes.url=http://127.0.0.1:1 \
    -Dweft.systems.qms.inbound.enabled=false -Dweft.systems.wms.inbox=file:$WORK/wms/inbox \
    -Dweft.systems.wms.outbox=file:$WORK/wms/outbox $WEFT_OPTS -jar "$JAR" > "$WORK/$1.log" 2>&1 &
  WEFT_PID=$!
  echo $WEFT_PID > "$WORK/weft.pid"
  for _ in $(seq 1 480); do
    kill -0 $WEFT_PID 2>/dev/null || { tail -40 "$WORK/$1.log" >&2; log "Weft exited during start"; exit 1; }
    if grep -q "Subscribed to" "$WORK/$1.log" \
       && [ "$(curl -s -o /dev/null -w '%{http_code}' --max-time 2 "http://127.0.0.1:$MGMT_PORT/q/health/ready")" = 200 ]; then
      return 0
    fi
    sleep 0.25
  done
  log "Weft not ready and subscribed within 120 s"; exit 1
}
log "starting Weft (log: $WORK/weft.log)"
start_weft weft
# The MES paused, as an operator would (POST /api/destinations/mes/pause): each alarm is journaled with its
# delivery, which waits. Sending 5,000 alarms a second to an MES is the delivery side, which bench/run.sh measures.
psql -h 127.0.0.1 -U postgres -d "$DB" -qAtc "INSERT INTO destination_pause (destination, paused_by, paused_at) VALUES ('mes', 'telemetry-bench', now())" >/dev/null
event "Weft ready and subscribed; load starts: $RATE readings/s, $WARMUP s warm-up + $DURATION s measured ($MODE)"
touch "$WORK/go"
if [ -n "$JFR" ]; then
  ( sleep "$WARMUP"; jcmd "$WEFT_PID" JFR.start name=bench settings=profile duration="${DURATION}s" filename="$(realpath -m "$JFR")" >/dev/null \
      && echo "$(date -u +%H:%M:%S.%3N) JFR recording of the measured phase to $JFR" >> "$WORK/events.txt" ) &
fi

if [ "$FAULTS" = 1 ]; then
  sleep $(( WARMUP + DURATION / 3 ))
  kill -9 "$WEFT_PID"; wait "$WEFT_PID" 2>/dev/null || true
  event "kill -9 Weft (pid $WEFT_PID)"
  start_weft weft-restarted
  event "Weft restarted (pid $WEFT_PID), ready and subscribed"
  now=$(( $(date +%s) - $(date -d "$(cat "$WORK/load.started")" +%s) ))
  left=$(( WARMUP + 2 * DURATION / 3 - now ))
  [ $left -gt 0 ] && sleep $left
  kill "$BROKER_PID"; wait "$BROKER_PID" 2>/dev/null || true
  event "broker stopped (SIGTERM: it saves its persistence file)"
  sleep 2
  start_broker
  event "broker started again (pid $BROKER_PID)"
fi

limit=$(( WARMUP + DURATION + DRAIN_TIMEOUT + 120 ))
waited=0
while kill -0 $GEN_PID 2>/dev/null; do
  if [ -f "$WORK/stop-weft" ] && [ ! -f "$WORK/weft-stopped" ]; then
    kill "$WEFT_PID" 2>/dev/null || true
    for _ in $(seq 1 300); do kill -0 "$WEFT_PID" 2>/dev/null || break; sleep 0.1; done
    event "Weft stopped (SIGTERM) after the drain; the generator reads what is left in its session"
    touch "$WORK/weft-stopped"
  fi
  if [ $waited -ge $limit ]; then log "generator still running after $limit s; stopping it"; kill $GEN_PID; break; fi
  sleep 1; waited=$((waited + 1))
done
gen_rc=0; wait $GEN_PID || gen_rc=$?
GEN_PID=
cat "$WORK/generator.log" >&2

log "stopping Weft and the broker"
kill "$WEFT_PID" 2>/dev/null || true
for _ in $(seq 1 300); do kill -0 "$WEFT_PID" 2>/dev/null || break; sleep 0.1; done
kill -9 "$WEFT_PID" 2>/dev/null || true
kill "$BROKER_PID" 2>/dev/null || true
if [ $gen_rc != 0 ] || [ ! -f "$OUT" ]; then log "generator failed (exit $gen_rc); work files in $WORK"; exit 1; fi
if [ -x bench/chart.sh ]; then
  cut -f1-4 "$TSV" > "$WORK/rates.tsv"
  bench/chart.sh "$WORK/rates.tsv" "${TSV%.tsv}.png" "Weft MQTT telemetry ($MODE)" "per second" >/dev/null \
    && echo -e "\nChart: \`$(basename "${TSV%.tsv}.png")\`." >> "$OUT" || log "no chart (gnuplot failed)"
fi
log "results: $OUT, $TSV (work files: $WORK)"
