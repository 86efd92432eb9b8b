#!/usr/bin/env bash
# Start benchmark: how long from `java -jar` to the first 200 of /q/health/ready, on the embedded store (a fresh
# data folder each time, so the migrations run as on a plant's first start, plus warm starts on the same folder),
# and the resident memory right after. See bench/README.md, "Start and memory".
#
#   bench/start.sh [--runs N] [--cds] [--java-opts "..."] [--note TEXT]
#     --runs N        starts per kind (default 5): cold (new data folder) and warm (the folder of the previous start)
#     --cds           as demo.sh runs Weft: first one start that records a class-data archive when it stops
#                     (-XX:ArchiveClassesAtExit, not measured), then every measured start maps it (SharedArchiveFile)
#     --java-opts     JVM options for Weft, e.g. "-XX:SharedArchiveFile=target/quarkus-app/app-cds.jsa -Xshare:auto";
#                     default: those bench/weft-java-opts names (the options Weft ships with)
#   env: PORT (18480), MGMT_PORT (19480), PROFILE (prod: the sample plant as packaged, its systems not reachable)
#
# Writes bench/results/<UTC time>-start.md and a TSV of every start next to it (+ a PNG chart).
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=5
JAVA_OPTS_SET=0
JAVA_OPTS=
NOTE=
CDS=0
PORT=${PORT:-18480}
MGMT_PORT=${MGMT_PORT:-19480}
PROFILE=${PROFILE:-prod}
while [ $# -gt 0 ]; do
  case "$1" in
    --runs) RUNS=$2; shift 2 ;;
    --java-opts) JAVA_OPTS=$2; JAVA_OPTS_SET=1; shift 2 ;;
    --note) NOTE=$2; shift 2 ;;
    --cds) CDS=1; shift ;;
    -h|--help) sed -n '2,14p' "$0"; exit 0 ;;
    *) echo "unknown argument: $1" >&2; exit 64 ;;
  esac
done
[ "$JAVA_OPTS_SET" = 1 ] || JAVA_OPTS=$(bench/weft-java-opts)
# As demo.sh and the container run Weft: two malloc arenas (README, Performance).
export MALLOC_ARENA_MAX=${MALLOC_ARENA_MAX:-2}
log() { echo "[start.sh $(date -u +%H:%M:%S)] $*" >&2; }

JAR=target/quarkus-app/quarkus-run.jar
if [ ! -f "$JAR" ] || [ -n "$(find pom.xml src/main application.properties -newer "$JAR" -print -quit)" ]; then
  log "building Weft (mvn -B -q package -DskipTests)"
  mvn -B -q package -DskipTests
fi

STAMP=$(date -u +%Y%m%dT%H%M%SZ)
WORK=$(pwd)/bench/target/start-$STAMP
mkdir -p "$WORK" bench/results
TSV=bench/results/$STAMP-start.tsv
OUT=bench/results/$STAMP-start.md
echo -e "start\tcold (new data folder) ms\twarm ms" > "$WORK/ms.tsv"
echo -e "kind\trun\tready_ms\tquarkus_started_ms\trss_mib\tcpu_ms" > "$TSV"

one_start() { # kind run datadir -> a TSV row
  local kind=$1 run=$2 data=$3 log t0 t1 pid status rss cpu started
  log=$WORK/$kind-$run.log
  t0=$(date +%s%N)
  # shellcheck disable=SC2086
  java $JAVA_OPTS -Dquarkus.profile="$PROFILE" -Dweft.data-dir="$data" -Dquarkus.http.port="$PORT" \
    -Dquarkus.management.port="$MGMT_PORT" -Dweft.instance-id=start-bench -jar "$JAR" > "$log" 2>&1 &
  pid=$!
  status=000
  for _ in $(seq 1 3000); do
    status=$(curl -s -o /dev/null -w '%{http_code}' --max-time 1 "http://127.0.0.1:$MGMT_PORT/q/health/ready" || true)
    [ "$status" = 200 ] && break
    kill -0 $pid 2>/dev/null || break
    sleep 0.01
  done
  t1=$(date +%s%N)
  if [ "$status" != 200 ]; then
    tail -30 "$log" >&2; kill $pid 2>/dev/null || true; log "Weft did not become ready ($kind start $run)"; exit 1
  fi
  rss=$(awk '/VmRSS/ {printf "%d", $2/1024}' /proc/$pid/status)
  cpu=$(awk -v hz="$(getconf CLK_TCK)" '{printf "%d", ($14+$15)*1000/hz}' /proc/$pid/stat)
  started=$(sed -n 's/.* started in \([0-9.]*\)s.*/\1/p' "$log" | head -1)
  kill $pid
  while kill -0 $pid 2>/dev/null; do sleep 0.05; done  # (a recording start writes its archive before it exits)
  echo -e "$kind\t$run\t$(( (t1 - t0) / 1000000 ))\t$(awk -v s="${started:-0}" 'BEGIN{printf "%d", s*1000}')\t$rss\t$cpu" >> "$TSV"
}

if [ "$CDS" = 1 ]; then
  # The recording start (as demo.sh's first run after a build): not measured, its archive written when it stops.
  archive=$WORK/weft.jsa
  saved_opts=$JAVA_OPTS
  JAVA_OPTS="$saved_opts -XX:ArchiveClassesAtExit=$archive -Xlog:cds=error -Xlog:cds+dynamic=error"
  mkdir -p "$WORK/data-cds"
  one_start record 0 "$WORK/data-cds"
  [ -f "$archive" ] || { log "no class-data archive was written"; exit 1; }
  JAVA_OPTS="$saved_opts -XX:SharedArchiveFile=$archive"
  sed -i '/^record\t/d' "$TSV"
fi
log "JVM options: ${JAVA_OPTS:-(none)}; profile $PROFILE; $RUNS cold and $RUNS warm starts"
for run in $(seq 1 "$RUNS"); do
  data=$WORK/data-$run
  rm -rf "$data"; mkdir -p "$data"
  one_start cold "$run" "$data"
  one_start warm "$run" "$data"
  echo -e "$run\t$(awk -F'\t' -v r="$run" '$1=="cold" && $2==r {print $3}' "$TSV")\t$(awk -F'\t' -v r="$run" '$1=="warm" && $2==r {print $3}' "$TSV")" >> "$WORK/ms.tsv"
done

median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : int((a[NR/2]+a[NR/2+1])/2))}'; }
col() { awk -F'\t' -v k="$1" -v c="$2" '$1==k {print $c}' "$TSV"; }
{
  echo "# Start benchmark: java -jar to the first 200 of /q/health/ready, embedded store"
  echo
  echo "Run $STAMP, Weft commit $(git rev-parse --short HEAD)$(git diff --quiet HEAD -- src application.properties pom.xml || echo ' (with uncommitted changes)'), \`bench/start.sh --runs $RUNS$([ "$CDS" = 1 ] && echo " --cds")\`, profile \`$PROFILE\`."
  [ -z "$NOTE" ] || { echo; echo "**$NOTE**"; }
  echo
  echo "JVM options: \`${JAVA_OPTS:-(none)}\`. Machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.1f GiB", $2/1048576}' /proc/meminfo), $(sed -n 's/^model name\s*: //p' /proc/cpuinfo | head -1); load average before: $(cut -d' ' -f1-3 /proc/loadavg)."
  echo
  echo "Ready: from just before \`java\` is started to the first 200 of \`/q/health/ready\` (polled every 10 ms). Cold: a new"
  echo "data folder (the store is created and migrated); warm: the same folder again. RSS: VmRSS right after ready."
  echo
  echo "| | median | min | max |"
  echo "|---|---|---|---|"
  for kind in cold warm; do
    echo "| ready, $kind start (ms) | $(col $kind 3 | median) | $(col $kind 3 | sort -n | head -1) | $(col $kind 3 | sort -n | tail -1) |"
  done
  echo "| Quarkus \"started in\", warm (ms) | $(col warm 4 | median) | $(col warm 4 | sort -n | head -1) | $(col warm 4 | sort -n | tail -1) |"
  echo "| CPU to ready, warm (ms) | $(col warm 6 | median) | $(col warm 6 | sort -n | head -1) | $(col warm 6 | sort -n | tail -1) |"
  echo "| resident memory after ready, warm (MiB) | $(col warm 5 | median) | $(col warm 5 | sort -n | head -1) | $(col warm 5 | sort -n | tail -1) |"
  echo
  echo "Every start: \`$(basename "$TSV")\`; chart: \`$(basename "$TSV" .tsv).png\`."
} > "$OUT"
bench/chart.sh "$WORK/ms.tsv" "bench/results/$STAMP-start.png" "Weft: java -jar to ready, embedded store" "ms" >/dev/null || true
cat "$OUT"
