#!/usr/bin/env bash
# Journal at scale (issue 14, target 4): Weft's journal with 10 million messages on PostgreSQL. See bench/README.md.
#
#   bench/journal-scale.sh [--regenerate] [--measure-only] [--messages N] [--requests N] [--publish-duration S]
#                          [--budget S] [--purge-duration S] [--note TEXT]
#   --regenerate        drop the kept database and generate it again (otherwise it is kept between runs)
#   --measure-only      only the query latencies and their plans, against the kept database (no publish
#                       throughput, no purge): what the lead re-runs on a quiet machine
#   --messages N        messages to generate (10000000)
#   --requests N        measured requests per query kind, after as many warm-up requests / 4 (400)
#   --budget S          seconds per query kind at most, warm-up included (120): a slow query gets fewer requests
#   --publish-duration  seconds of closed-loop ERP load per journal, after a warm-up as long (30)
#   --purge-duration    seconds of retention purging measured (60); the purged messages are put back after
#   env: DB (weft_journal_scale), EMPTY_DB (weft_journal_empty), PORT (18480), MGMT_PORT (19480),
#        MES_PORT / WMS_PORT (18491 / 18492), CONNECTIONS (32), WEFT_JAVA_OPTS
#
# Writes bench/results/<UTC time>-journal-scale.md, its latency TSV and chart (bench/chart.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
export PGHOST=127.0.0.1 PGUSER=postgres

DB=${DB:-weft_journal_scale}
EMPTY_DB=${EMPTY_DB:-weft_journal_empty}
PORT=${PORT:-18480}
MGMT_PORT=${MGMT_PORT:-19480}
MES_PORT=${MES_PORT:-18491}
WMS_PORT=${WMS_PORT:-18492}
CONNECTIONS=${CONNECTIONS:-32}
WEFT_JAVA_OPTS=${WEFT_JAVA_OPTS:-}
MESSAGES=10000000
REQUESTS=400
BUDGET_S=120
PUBLISH_S=30
PURGE_S=60
REGENERATE=0
MEASURE_ONLY=0
NOTE=
while [ $# -gt 0 ]; do
  case "$1" in
    --regenerate) REGENERATE=1; shift ;;
    --measure-only) MEASURE_ONLY=1; shift ;;
    --messages) MESSAGES=$2; shift 2 ;;
    --requests) REQUESTS=$2; shift 2 ;;
    --budget) BUDGET_S=$2; shift 2 ;;
    --publish-duration) PUBLISH_S=$2; shift 2 ;;
    --purge-duration) PURGE_S=$2; shift 2 ;;
    --note) NOTE=$2; shift 2 ;;
    -h|--help) sed -n '2,17p' "$0"; exit 0 ;;
    *) echo "unknown argument: $1" >&2; exit 64 ;;
  esac
done

log() { echo "[journal-scale $(date -u +%H:%M:%S)] $*" >&2; }
q() { psql -d "$1" -v ON_ERROR_STOP=1 -qAtX -c "$2"; }

STAMP=$(date -u +%Y%m%dT%H%M%SZ)
WORK=bench/target/journal-scale-$STAMP
mkdir -p "$WORK" bench/results
OUT=bench/results/$STAMP-journal-scale.md
TSV=bench/results/$STAMP-journal-scale.tsv

# --- build if needed ---------------------------------------------------------------------------------------
JAR=target/quarkus-app/quarkus-run.jar
if [ ! -f "$JAR" ] || [ -n "$(find pom.xml src/main application.properties -newer "$JAR" -print -quit)" ]; then
  log "building Weft (mvn -B -q package -DskipTests)"
  mvn -B -q package -DskipTests
fi

# --- Weft against a database -------------------------------------------------------------------------------
# The viewer operator of the tests' profile (password test-password-viewer), for the operations API.
VIEWER_HASH='pbkdf2-sha256:10000:tzpsd5sHFCKY1Bg+pvSVEA:+shac09frcegj8NXces6AnPEjq5R0w8nl2IKl/nCBsY'
# The ERP key bench/run.sh's load generator posts with.
ERP_KEY_HASH='pbkdf2-sha256:10000:6W01WI+cZv5fTWQm09O6Dw:XrK8In3eHzqUPxhxAkPM/Nwmj04E9pK/JJQgWkwTv68'
WEFT_PID=
BENCH_PID=
cleanup() {
  for pid in $WEFT_PID $BENCH_PID; do
    if kill -0 "$pid" 2>/dev/null; then kill "$pid" 2>/dev/null || true; fi
  done
}
trap cleanup EXIT

start_weft() { # database, log name, extra -D options...
  local db=$1 name=$2; shift 2
  rm -rf "$WORK/routes"; cp -r routes "$WORK/routes"; cp bench/routes/wms.camel.yaml "$WORK/routes/systems/wms.camel.yaml"
  # shellcheck disable=SC2086
  java $WEFT_JAVA_OPTS -Dquarkus.profile=pg \
    -Dquarkus.datasource.pg.jdbc.url=jdbc:postgresql://$PGHOST:5432/$db -Dquarkus.datasource.pg.username=postgres \
    -Dweft.systems.mes.url=http://127.0.0.1:$MES_PORT -Dweft.systems.wms.url=http://127.0.0.1:$WMS_PORT \
    -Dquarkus.http.port=$PORT -Dquarkus.management.port=$MGMT_PORT -Dweft.systems.erp.api-keys="$ERP_KEY_HASH" \
    -Dweft.operators.names=viewer -Dweft.operators.viewer.password-hash="$VIEWER_HASH" -Dweft.operators.viewer.roles=viewer \
    -Dweft.inbound.rate-limit=0 -Dweft.instance-id=journal-scale -Dweft.routes-dir="$WORK/routes" "$@" \
    -jar "$JAR" > "$WORK/weft-$name.log" 2>&1 &
  WEFT_PID=$!
  # A new migration on the kept database (an index on 10 M rows) runs before readiness: allow for it.
  for _ in $(seq 1 1800); do
    kill -0 $WEFT_PID 2>/dev/null || { tail -40 "$WORK/weft-$name.log" >&2; log "Weft exited during start"; exit 1; }
    [ "$(curl -s -o /dev/null -w '%{http_code}' --max-time 2 "http://127.0.0.1:$MGMT_PORT/q/health/ready")" = 200 ] && return 0
    sleep 1
  done
  log "Weft not ready within 30 min"; exit 1
}

stop_weft() {
  [ -n "$WEFT_PID" ] || return 0
  kill $WEFT_PID 2>/dev/null || true
  for _ in $(seq 1 300); do kill -0 $WEFT_PID 2>/dev/null || break; sleep 0.1; done
  kill -0 $WEFT_PID 2>/dev/null && kill -9 $WEFT_PID
  wait $WEFT_PID 2>/dev/null || true
  WEFT_PID=
}

# --- the kept database: Weft's schema, then 10 M generated messages ---------------------------------------
generate() {
  log "creating database $DB with Weft's schema (one start of Weft runs its Flyway migrations)"
  q postgres "DROP DATABASE IF EXISTS $DB WITH (FORCE)"
  q postgres "CREATE DATABASE $DB"
  start_weft "$DB" migrate
  stop_weft
  psql -d "$DB" -v ON_ERROR_STOP=1 -qX -f bench/journal-scale/fill.sql
  # Receipts spread over the 180 days before now; the supplier paused for maintenance 6 hours ago.
  q "$DB" "INSERT INTO bench.journal_scale (n, start_ms, span_ms, generated_at)
           VALUES ($MESSAGES, (extract(epoch FROM now() - interval '180 days') * 1000)::bigint, 180::bigint * 86400000, now());
           INSERT INTO destination_pause VALUES ('supplier', 'maintenance', now() - interval '6 hours')"
  local t0 t1 t2 t3 chunk=250000 lo=0 workers=()
  t0=$(date +%s)
  q "$DB" "CALL bench.drop_secondary()"
  # Two sessions fill alternate chunks (the machine has 2 cores).
  for w in 0 1; do
    ( lo=$((w * chunk))
      while [ $lo -lt "$MESSAGES" ]; do
        hi=$((lo + chunk)); [ $hi -gt "$MESSAGES" ] && hi=$MESSAGES
        q "$DB" "SET synchronous_commit = off; SELECT bench.fill($lo, $hi)" >/dev/null
        log "messages $lo..$hi generated"
        lo=$((lo + 2 * chunk))
      done ) &
    workers+=($!)
  done
  for pid in "${workers[@]}"; do wait "$pid"; done
  t1=$(date +%s)
  log "rows written in $((t1 - t0)) s; creating the indexes and constraints"
  psql -d "$DB" -v ON_ERROR_STOP=1 -qX -c "SET maintenance_work_mem = '1GB'" -c "CALL bench.restore_secondary()" 2>&1 \
    | sed 's/^NOTICE: */  /' >&2
  t2=$(date +%s)
  log "indexes in $((t2 - t1)) s; VACUUM ANALYZE"
  psql -d "$DB" -v ON_ERROR_STOP=1 -qX -c "VACUUM (ANALYZE) message" -c "VACUUM (ANALYZE) delivery" \
    -c "VACUUM (ANALYZE) delivery_attempt"
  t3=$(date +%s)
  q "$DB" "UPDATE bench.journal_scale SET fill_s = $((t1 - t0)), index_s = $((t2 - t1)), vacuum_s = $((t3 - t2))"
  log "database $DB ready: $(q "$DB" "SELECT pg_size_pretty(pg_database_size(current_database()))")"
}

exists=$(q postgres "SELECT 1 FROM pg_database WHERE datname = '$DB'")
if [ "$REGENERATE" = 1 ] || [ -z "$exists" ] || [ -z "$(q "$DB" "SELECT fill_s FROM bench.journal_scale" 2>/dev/null)" ]; then
  [ "$MEASURE_ONLY" = 1 ] && { log "no complete database $DB to measure: run without --measure-only first"; exit 1; }
  generate
fi

CP="target/quarkus-app/app/*:target/quarkus-app/lib/main/*"
JDBC="jdbc:postgresql://$PGHOST:5432/$DB"
quiet_java() { java "$@" 2> >(grep --line-buffered -v 'SLF4J\|org.slf4j' >&2); }
machine() { echo "$(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"; }
META=$(q "$DB" "SELECT n, start_ms, span_ms, extract(epoch FROM generated_at)::bigint, fill_s, index_s, vacuum_s FROM bench.journal_scale")
IFS='|' read -r GEN_N START_MS SPAN_MS GENERATED_AT FILL_S INDEX_S VACUUM_S <<< "$META"
MACHINE_START=$(machine)

# --- query latencies through the API, and the plans of the same statements ---------------------------------
log "latencies: Weft on $DB ($(q "$DB" "SELECT count(*) FROM message") messages)"
start_weft "$DB" latency
quiet_java -cp "$CP" bench/JournalScaleBench.java --weft "http://127.0.0.1:$PORT" --jdbc "$JDBC" \
  --auth viewer:test-password-viewer --requests "$REQUESTS" --budget-s "$BUDGET_S" --md "$WORK/latency.md" --tsv "$TSV"
MACHINE_LATENCY=$(machine)
stop_weft
log "plans: EXPLAIN (ANALYZE, BUFFERS) of the same statements"
quiet_java -cp "$CP" bench/JournalScalePlans.java "$JDBC" "$WORK/plans.md"
bench/chart.sh "$TSV" "${TSV%.tsv}.png" "Journal queries at $((GEN_N / 1000000)) M messages (PostgreSQL)" "ms" >/dev/null \
  || log "no chart (bench/chart.sh failed)"

# --- bytes per message ---------------------------------------------------------------------------------------
q "$DB" "SELECT format('| %s | %s | %s | %s | %s |', c.relname, to_char(c.reltuples, 'FM999,999,999,999'),
           pg_size_pretty(pg_table_size(c.oid)), pg_size_pretty(pg_indexes_size(c.oid)),
           pg_size_pretty(pg_total_relation_size(c.oid)))
         FROM pg_class c WHERE c.relname IN ('message', 'delivery', 'delivery_attempt') ORDER BY c.relname DESC" > "$WORK/sizes.md"
SIZES=$(q "$DB" "SELECT count(*), (SELECT count(*) FROM delivery), (SELECT count(*) FROM delivery_attempt),
           pg_total_relation_size('message') + pg_total_relation_size('delivery') + pg_total_relation_size('delivery_attempt'),
           pg_size_pretty(pg_database_size(current_database())) FROM message")
IFS='|' read -r N_MSG N_DEL N_ATT JOURNAL_BYTES DB_SIZE <<< "$SIZES"
STATUSES=$(q "$DB" "SELECT string_agg(status || ' ' || to_char(n, 'FM999,999,999'), ', ' ORDER BY n DESC)
                    FROM (SELECT status, count(*) n FROM delivery GROUP BY status) s")

publish() { # database, name: closed-loop ERP orders -> MES + WMS, the same load each time
  local db=$1 name=$2 dir=$WORK/publish-$2
  mkdir -p "$dir"
  java -Xmx1g -XX:+UseParallelGC bench/ErpFlowBench.java --weft "http://127.0.0.1:$PORT" --mes-port "$MES_PORT" \
    --wms-port "$WMS_PORT" --closed-loop true --rate 3000 --duration "$PUBLISH_S" --warmup "$PUBLISH_S" \
    --drain-timeout 120 --connections "$CONNECTIONS" --work "$dir" --out "$dir/report.md" --summary "$dir/summary" \
    --label "Weft, $name journal" > "$dir/bench.out" 2> "$dir/bench.log" &
  BENCH_PID=$!
  for _ in $(seq 1 600); do [ -f "$dir/sinks.ready" ] && break; sleep 0.1; done
  start_weft "$db" "publish-$name"
  echo $WEFT_PID > "$dir/weft.pid"
  touch "$dir/go"
  wait $BENCH_PID || { cat "$dir/bench.log" >&2; log "load generator failed"; exit 1; }
  BENCH_PID=
  stop_weft
}
summary() { sed -n "s/^$2=//p" "$WORK/publish-$1/summary"; }

if [ "$MEASURE_ONLY" = 0 ]; then
  # --- publish throughput: an empty journal, then the 10 M one -------------------------------------------------
  log "publish throughput into an empty journal ($EMPTY_DB)"
  q postgres "DROP DATABASE IF EXISTS $EMPTY_DB WITH (FORCE)"
  q postgres "CREATE DATABASE $EMPTY_DB"
  publish "$EMPTY_DB" empty
  log "publish throughput into the $GEN_N-message journal"
  publish "$DB" full
  MACHINE_PUBLISH=$(machine)
  # The kept database stays as generated: the benchmark's own publications go again.
  q "$DB" "DELETE FROM delivery_attempt WHERE delivery_id IN (SELECT d.id FROM delivery d JOIN message m ON m.id = d.message_id
             WHERE m.received_at > to_timestamp($GENERATED_AT));
           DELETE FROM delivery WHERE message_id IN (SELECT id FROM message WHERE received_at > to_timestamp($GENERATED_AT));
           DELETE FROM message WHERE received_at > to_timestamp($GENERATED_AT)"

  # --- retention purge: the oldest 30 days due, JournalPurge's batches as the retention schedule runs them -------
  CUTOFF_S=$(( START_MS / 1000 + 30 * 86400 ))
  DUE=$(q "$DB" "SELECT count(*) FROM message WHERE received_at < to_timestamp($CUTOFF_S)")
  RETENTION_S=$(( $(date +%s) - CUTOFF_S ))
  log "retention purge: $DUE messages older than 30 days after the first are due (weft.journal.retention=PT${RETENTION_S}S)"
  start_weft "$DB" purge -Dweft.journal.retention=PT${RETENTION_S}S -Dweft.journal.retention-interval=1s
  before=$(q "$DB" "SELECT count(*) FROM message WHERE received_at < to_timestamp($CUTOFF_S)"); t0=$(date +%s.%N)
  sleep "$PURGE_S"
  after=$(q "$DB" "SELECT count(*) FROM message WHERE received_at < to_timestamp($CUTOFF_S)"); t1=$(date +%s.%N)
  stop_weft
  PURGED=$(( before - after ))
  PURGE_RATE=$(echo "$PURGED / ($t1 - $t0)" | bc -l | xargs printf '%.0f')
  RETENTION_BATCH=$(sed -n 's/.*weft.journal.retention-batch", defaultValue = "\([0-9]*\)".*/\1/p' src/main/java/io/weft/journal/JournalRetention.java)
  log "purged $PURGED messages in $(echo "$t1 - $t0" | bc | xargs printf '%.0f') s: $PURGE_RATE messages/s; putting them back"
  q "$DB" "VACUUM message" ; q "$DB" "VACUUM delivery"; q "$DB" "VACUUM delivery_attempt"
  q "$DB" "SET synchronous_commit = off; SELECT bench.fill(0, $(( GEN_N * 31 / 180 )))" >/dev/null
  q "$DB" "VACUUM (ANALYZE) message"; q "$DB" "VACUUM (ANALYZE) delivery"; q "$DB" "VACUUM (ANALYZE) delivery_attempt"
fi

# --- the result file -----------------------------------------------------------------------------------------
bpm() { echo "$1 / $N_MSG" | bc; }
{
  echo "# Journal at scale: $(printf "%'d" "$N_MSG") messages on PostgreSQL ($STAMP)"
  echo
  [ -n "$NOTE" ] && { echo "**$NOTE**"; echo; }
  echo "**Shared machine**: other engineers' builds and tests ran on the same 2 cores during this run (load averages"
  echo "below); latencies and rates are upper bounds of what a quiet machine gives, and the lead re-runs the latency part"
  echo "(\`bench/journal-scale.sh --measure-only\`) on a quiet one."
  echo
  echo "Weft $(git rev-parse --short HEAD)$(git diff --quiet HEAD -- src application.properties || echo ' (with uncommitted changes)'),"
  echo "PostgreSQL $(q postgres 'SHOW server_version') with this machine's settings (shared_buffers $(q postgres 'SHOW shared_buffers'),"
  echo "work_mem $(q postgres 'SHOW work_mem'), random_page_cost $(q postgres 'SHOW random_page_cost')), $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GB RAM."
  echo "Machine: at start $MACHINE_START; after the latencies $MACHINE_LATENCY${MACHINE_PUBLISH:+; after the publish runs $MACHINE_PUBLISH}."
  echo
  echo "## The journal"
  echo
  echo "$(printf "%'d" "$N_MSG") messages, $(printf "%'d" "$N_DEL") deliveries ($STATUSES), $(printf "%'d" "$N_ATT") attempts,"
  echo "received over the 180 days before $(date -u -d "@$GENERATED_AT" +%Y-%m-%dT%H:%MZ) (generated by \`bench/journal-scale/fill.sql\`"
  echo "in ${FILL_S} s of rows, ${INDEX_S} s of indexes and constraints, ${VACUUM_S} s of VACUUM ANALYZE)."
  echo "Database size: **$DB_SIZE**."
  echo
  echo "| table | rows | heap + TOAST | indexes | total |"
  echo "|---|---:|---:|---:|---:|"
  cat "$WORK/sizes.md"
  echo
  echo "**Bytes per message** (message, its deliveries and their attempts, with every index): **$(bpm "$JOURNAL_BYTES")**"
  echo
  echo "## Query latency through the API (target: p99 ≤ 50 ms)"
  echo
  cat "$WORK/latency.md"
  echo
  echo "Chart: \`$(basename "${TSV%.tsv}.png")\`, data: \`$(basename "$TSV")\`."
  if [ "$MEASURE_ONLY" = 0 ]; then
    echo
    echo "## Publish throughput: empty journal vs $(printf "%'d" "$GEN_N") messages (target: within 10 %)"
    echo
    echo "ERP production orders -> MES + WMS (\`bench/ErpFlowBench.java\`, closed loop, $CONNECTIONS connections,"
    echo "${PUBLISH_S} s warm-up then ${PUBLISH_S} s measured, sinks in the same JVM), the same Weft settings both times."
    echo
    echo "| journal | accepted orders/s | delivered to both /s | accept p50 ms | accept p99 ms | errors | Weft CPU ms/order |"
    echo "|---|---:|---:|---:|---:|---:|---:|"
    for r in empty full; do
      echo "| $r | $(summary $r accepted_per_s) | $(summary $r delivered_per_s) | $(summary $r accept_p50_ms) | $(summary $r accept_p99_ms) | $(summary $r errors) | $(summary $r cpu_ms_per_order) |"
    done
    e=$(summary empty accepted_per_s); f=$(summary full accepted_per_s)
    echo
    echo "Full / empty: **$(echo "100 * $f / $e" | bc -l | xargs printf '%.0f') %** of the empty journal's accepted rate."
    echo
    echo "## Retention purge"
    echo
    echo "\`weft.journal.retention\` set so that the oldest 30 days ($(printf "%'d" "$DUE") messages) are due, retention"
    echo "interval 1 s, batch ${RETENTION_BATCH:-500} (the default): JournalPurge's batches as JournalRetention runs them."
    echo "Purged **$(printf "%'d" "$PURGED") messages in $PURGE_S s: $PURGE_RATE messages/s** (with their deliveries and attempts),"
    echo "counted in the database. The purged messages were put back afterwards (\`bench.fill\`), so the kept database stays whole."
  fi
  echo
  echo "## Plans"
  echo
  echo "EXPLAIN (ANALYZE, BUFFERS) of the statements behind each request, built by Weft's own classes"
  echo "(\`bench/JournalScalePlans.java\`), with parameters from the journal, run after the latencies with Weft stopped."
  echo
  cat "$WORK/plans.md"
} > "$OUT"
log "results: $OUT"
