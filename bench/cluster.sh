#!/usr/bin/env bash
# Weft as a plant scales it out: 3 instances on one PostgreSQL behind nginx (Debian package), under a steady ERP
# order load (bench/ErpFlowBench.java: open-loop generator and the MES/WMS sinks), while one instance is killed with
# -9 (--scenario kill) or all three are restarted one after another (--scenario rolling). See bench/README.md.
#
#   bench/cluster.sh [--scenario kill|rolling] [--rate N] [--duration S] [--warmup S] [--drain-timeout S]
#                    [--delivery-lease D]                    (each also as env: SCENARIO, RATE, DURATION, ...)
#
# Writes bench/results/<UTC timestamp>-cluster-<scenario>.md: the load generator's figures (accepted, delivered to
# both, duplicates at the sinks, transport errors) and what happened: kill/restart times, the killed instance's
# claimed deliveries and how long until the survivors had delivered them (failover), journal and delivery counts.
set -euo pipefail
cd "$(dirname "$0")/.."

SCENARIO=${SCENARIO:-kill}
RATE=${RATE:-100}
DURATION=${DURATION:-90}
WARMUP=${WARMUP:-30}
DRAIN_TIMEOUT=${DRAIN_TIMEOUT:-150}
CONNECTIONS=${CONNECTIONS:-16}
DELIVERY_LEASE=${DELIVERY_LEASE:-20s}
PORT=${PORT:-18180}
MES_PORT=${MES_PORT:-18191}
WMS_PORT=${WMS_PORT:-18192}
DB=${DB:-weft_cluster_bench}
PGHOST=127.0.0.1
while [ $# -gt 0 ]; do
  case "$1" in
    --scenario) SCENARIO=$2; shift 2 ;;
    --rate) RATE=$2; shift 2 ;;
    --duration) DURATION=$2; shift 2 ;;
    --warmup) WARMUP=$2; shift 2 ;;
    --drain-timeout) DRAIN_TIMEOUT=$2; shift 2 ;;
    --delivery-lease) DELIVERY_LEASE=$2; shift 2 ;;
    -h|--help) sed -n '2,12p' "$0"; exit 0 ;;
    *) echo "unknown argument: $1" >&2; exit 64 ;;
  esac
done
case "$SCENARIO" in kill|rolling) ;; *) echo "--scenario kill or rolling" >&2; exit 64 ;; esac

log() { echo "[cluster.sh $(date -u +%H:%M:%S)] $*" >&2; }
now() { date +%s.%N; }
psqlq() { psql -h $PGHOST -U postgres -d "$DB" -qAtc "$1"; }

if ! command -v nginx >/dev/null 2>&1; then
  log "installing nginx (Debian package nginx-light)"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx-light
fi
JAR=target/quarkus-app/quarkus-run.jar
if [ ! -f "$JAR" ] || [ -n "$(find pom.xml src/main application.properties -newer "$JAR" -print -quit)" ]; then
  log "building Weft (mvn -B -q package -DskipTests)"
  mvn -B -q package -DskipTests
fi

log "recreating database $DB"
psql -h $PGHOST -U postgres -d postgres -qAtc "DROP DATABASE IF EXISTS $DB WITH (FORCE)" >/dev/null
psql -h $PGHOST -U postgres -d postgres -qAtc "CREATE DATABASE $DB" >/dev/null

STAMP=$(date -u +%Y%m%dT%H%M%SZ)
WORK=bench/target/cluster-$STAMP
mkdir -p "$WORK/nginx" bench/results
OUT=bench/results/$STAMP-cluster-$SCENARIO.md
EVENTS=$WORK/events.txt
: > "$EVENTS"
event() { echo "| $(date -u +%H:%M:%S.%3N) | $* |" >> "$EVENTS"; log "$*"; }

declare -A PID
BENCH_PID=
NGINX_PID=
cleanup() {
  for pid in "${PID[@]}" $BENCH_PID $NGINX_PID; do
    if kill -0 "$pid" 2>/dev/null; then kill "$pid" 2>/dev/null || true; fi
  done
}
trap cleanup EXIT

# --- the sinks and the load generator (one JVM, waits for the go signal) -----------------------------------
{
  echo "scenario=$SCENARIO"
  echo "instances=3 behind nginx $(nginx -v 2>&1 | sed 's/.*\///')"
  echo "weft.delivery.lease=$DELIVERY_LEASE"
  echo "Weft commit=$(git rev-parse --short HEAD)"
} > "$WORK/settings.txt"
java -Xmx1g -XX:+UseSerialGC bench/ErpFlowBench.java \
  --weft "http://127.0.0.1:$PORT" --mes-port "$MES_PORT" --wms-port "$WMS_PORT" \
  --rate "$RATE" --duration "$DURATION" --warmup "$WARMUP" --drain-timeout "$DRAIN_TIMEOUT" --connections "$CONNECTIONS" \
  --work "$WORK" --out "$OUT" --settings "$WORK/settings.txt" --pg-db "$DB" \
  --machine-before "load average $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores" \
  > "$WORK/bench.out" 2> "$WORK/bench.log" &
BENCH_PID=$!
for _ in $(seq 1 600); do [ -f "$WORK/sinks.ready" ] && break; sleep 0.1; done
[ -f "$WORK/sinks.ready" ] || { cat "$WORK/bench.log" >&2; log "sinks did not come up"; exit 1; }

# --- three Weft instances on one database --------------------------------------------------------------------
rm -rf "$WORK/routes"
cp -r routes "$WORK/routes"
cp bench/routes/wms.camel.yaml "$WORK/routes/systems/wms.camel.yaml"
# ErpFlowBench posts as the ERP with the key bench-erp-key; the instances get only its hash (as in run.sh).
BENCH_ERP_KEY_HASH='pbkdf2-sha256:10000:6W01WI+cZv5fTWQm09O6Dw:XrK8In3eHzqUPxhxAkPM/Nwmj04E9pK/JJQgWkwTv68'
port_of() { echo $((PORT + $1)); }
start_instance() { # n
  local n=$1 p; p=$(port_of "$1")
  java -Xmx512m -XX:+UseSerialGC -Dquarkus.profile=pg \
    -Dquarkus.datasource.pg.jdbc.url=jdbc:postgresql://$PGHOST:5432/$DB -Dquarkus.datasource.pg.username=postgres \
    -Dquarkus.datasource.pg.jdbc.max-size=12 \
    -Dweft.systems.mes.url=http://127.0.0.1:$MES_PORT -Dweft.systems.wms.url=http://127.0.0.1:$WMS_PORT \
    -Dweft.systems.qms.inbound.enabled=false -Dweft.systems.iot.inbound.enabled=false \
    -Dweft.data-dir="$WORK/data" -Dweft.delivery.lease="$DELIVERY_LEASE" \
    -Dquarkus.http.port="$p" -Dquarkus.management.port=$((p + 1000)) -Dweft.instance-id="weft-$n" \
    -Dweft.systems.erp.api-keys="$BENCH_ERP_KEY_HASH" -Dweft.inbound.rate-limit=0 \
    -Dweft.routes-dir="$WORK/routes" -jar "$JAR" >> "$WORK/weft-$n.log" 2>&1 &
  PID[$n]=$!
}
ready() { # n: health on the management port (if enabled) or the business port
  local p; p=$(port_of "$1")
  [ "$(curl -s -o /dev/null -w '%{http_code}' --max-time 2 "http://127.0.0.1:$((p + 1000))/q/health/ready")" = 200 ] ||
    [ "$(curl -s -o /dev/null -w '%{http_code}' --max-time 2 "http://127.0.0.1:$p/q/health/ready")" = 200 ]
}
await_ready() { # n: an instance that exits while starting is started again, as Kubernetes restarts a container
  local tries=0
  for _ in $(seq 1 720); do
    if ! kill -0 "${PID[$1]}" 2>/dev/null; then
      tries=$((tries + 1))
      [ $tries -le 3 ] || { tail -40 "$WORK/weft-$1.log" >&2; log "weft-$1 exited $tries times while starting"; exit 1; }
      event "weft-$1 exited while starting ($(grep -o 'Caused by: [^:]*: [^:]*' "$WORK/weft-$1.log" | tail -1 || true)); started again"
      start_instance "$1"
    fi
    ready "$1" && return 0
    sleep 0.5
  done
  log "weft-$1 not ready within 360 s"; exit 1
}
for n in 1 2 3; do start_instance $n; sleep 5; done
for n in 1 2 3; do await_ready $n; done
event "3 instances ready"

# --- nginx in front --------------------------------------------------------------------------------------------
cat > "$WORK/nginx/nginx.conf" <<CONF
worker_processes 1;
pid $PWD/$WORK/nginx/nginx.pid;
error_log $PWD/$WORK/nginx/error.log warn;
events { worker_connections 1024; }
http {
  access_log off;
  client_body_temp_path $PWD/$WORK/nginx/body;
  proxy_temp_path $PWD/$WORK/nginx/proxy;
  upstream weft {
    server 127.0.0.1:$(port_of 1) max_fails=1 fail_timeout=3s;
    server 127.0.0.1:$(port_of 2) max_fails=1 fail_timeout=3s;
    server 127.0.0.1:$(port_of 3) max_fails=1 fail_timeout=3s;
    keepalive 32;
  }
  server {
    listen 127.0.0.1:$PORT;
    location / {
      proxy_pass http://weft;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      # A refused connection (instance down) is tried on the next instance; a POST already sent is not (nginx
      # never repeats a non-idempotent request): the client sees 502 and may retry, dedupe answers with the same id.
      proxy_next_upstream error timeout;
      proxy_connect_timeout 1s;
      proxy_read_timeout 30s;
    }
  }
}
CONF
nginx -c "$PWD/$WORK/nginx/nginx.conf" -g 'daemon off;' &
NGINX_PID=$!
sleep 1
kill -0 $NGINX_PID || { cat "$WORK/nginx/error.log" >&2; exit 1; }
event "nginx on :$PORT in front of :$(port_of 1) :$(port_of 2) :$(port_of 3)"
touch "$WORK/go"
GO=$(now)

# --- the scenario ------------------------------------------------------------------------------------------------
sleep "$WARMUP"
if [ "$SCENARIO" = kill ]; then sleep $((DURATION / 3)); else sleep 10; fi
FAILOVER=
if [ "$SCENARIO" = kill ]; then
  claimed_before=$(psqlq "SELECT count(*) FROM delivery WHERE claimed_by = 'weft-2' AND status IN ('PENDING','RETRYING')")
  kill -9 "${PID[2]}"
  KILLED=$(now)
  event "kill -9 weft-2 (pid ${PID[2]}), which held $claimed_before claimed deliveries"
  # Failover: until no due delivery is left claimed by the dead instance (its claims run out after the lease).
  for _ in $(seq 1 600); do
    left=$(psqlq "SELECT count(*) FROM delivery WHERE claimed_by = 'weft-2' AND status IN ('PENDING','RETRYING')")
    [ "$left" = 0 ] && break
    sleep 0.5
  done
  FAILOVER=$(echo "$(now) - $KILLED" | bc)
  event "the survivors took over weft-2's claimed deliveries: none left $(printf '%.1f' "$FAILOVER") s after the kill (lease $DELIVERY_LEASE)"
else
  for n in 1 2 3; do
    t0=$(now)
    kill -TERM "${PID[$n]}"
    wait "${PID[$n]}" 2>/dev/null || true
    stopped=$(echo "$(now) - $t0" | bc)
    start_instance $n
    await_ready $n
    event "rolling: weft-$n stopped in $(printf '%.1f' "$stopped") s and ready again $(printf '%.1f' "$(echo "$(now) - $t0" | bc)") s after the stop began"
    sleep 5
  done
fi

# --- wait for the load generator (bounded), then the figures -----------------------------------------------------
limit=$(( WARMUP + DURATION + DRAIN_TIMEOUT + 180 ))
while kill -0 $BENCH_PID 2>/dev/null; do
  if [ "$(echo "$(now) - $GO > $limit" | bc)" = 1 ]; then log "bench program still running; stopping it"; kill $BENCH_PID; break; fi
  sleep 1
done
bench_rc=0; wait $BENCH_PID || bench_rc=$?
BENCH_PID=
[ $bench_rc = 0 ] && [ -f "$OUT" ] || { cat "$WORK/bench.log" >&2; log "bench program failed ($bench_rc)"; exit 1; }

{
  echo
  echo "## Scenario: $SCENARIO"
  echo
  echo "3 Weft instances (weft-1..3) on one PostgreSQL behind nginx; the load above went through nginx."
  echo
  echo "| time (UTC) | event |"
  echo "|---|---|"
  cat "$EVENTS"
  echo
  echo "| from the database after the drain | |"
  echo "|---|---|"
  echo "| journaled messages | $(psqlq "SELECT count(*) FROM message") |"
  echo "| deliveries | $(psqlq "SELECT count(*) FROM delivery") ($(psqlq "SELECT count(*) FROM delivery WHERE status = 'DELIVERED'") delivered, $(psqlq "SELECT count(*) FROM delivery WHERE status <> 'DELIVERED'") not) |"
  echo "| deliveries with more than one successful attempt (sent twice) | $(psqlq "SELECT count(*) FROM (SELECT delivery_id FROM delivery_attempt WHERE outcome = 'SUCCESS' GROUP BY delivery_id HAVING count(*) > 1) d") |"
  echo "| attempts by instance | $(psqlq "SELECT string_agg(instance || ': ' || n, ', ' ORDER BY instance) FROM (SELECT instance, count(*) n FROM delivery_attempt GROUP BY instance) a") |"
  if [ -n "$FAILOVER" ]; then
    echo "| failover time (kill -9 until the dead instance's claimed deliveries were all taken over) | $(printf '%.1f' "$FAILOVER") s |"
  fi
} >> "$OUT"
log "results: $OUT"
cat "$OUT"
