#!/usr/bin/env bash
# Counts the file syncs Weft's embedded H2 store makes per acknowledged order: strace on every thread of a running
# Weft while N orders are posted one after another (each its own group commit), the MES down.
#
#   bench/embedded-store-fsync.sh [commit mode: sync|sync-acks|write|lazy] [orders, default 20]
#
# Needs strace. Loopback only; Weft is stopped at the end. Prints the counts (bench/README.md quotes them).
set -euo pipefail
cd "$(dirname "$0")/.."
MODE=${1:-sync}
N=${2:-20}
JAR=target/quarkus-app/quarkus-run.jar
mkdir -p bench/target && DIR=$(mktemp -d -p "$PWD/bench/target" weft-fsync-XXXX)
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
PORT=$(free_port)
MGMT_PORT=$(free_port)
# The orders are posted as the ERP with the key bench-erp-key; Weft is given its hash (as in run.sh).
BENCH_ERP_KEY_HASH='pbkdf2-sha256:10000:6W01WI+cZv5fTWQm09O6Dw:XrK8In3eHzqUPxhxAkPM/Nwmj04E9pK/JJQgWkwTv68'
java -Xmx384m -Dquarkus.http.port="$PORT" -Dquarkus.management.port="$MGMT_PORT" -Dweft.systems.erp.api-keys="$BENCH_ERP_KEY_HASH" -Dweft.data-dir="$DIR" -Dweft.store.h2.commit="$MODE" \
  -Dweft.systems.qms.inbound.enabled=false -Dweft.systems.iot.inbound.enabled=false \
  -Dweft.systems.mes.url=http://127.0.0.1:9 -Dweft.systems.wms.inbox="file:$DIR/in" -Dweft.systems.wms.outbox="file:$DIR/out" \
  -jar "$JAR" > "$DIR/weft.log" 2>&1 &
WEFT=$!
trap 'kill $WEFT 2>/dev/null || true' EXIT
for _ in $(seq 1 600); do
  curl -sf -o /dev/null "http://127.0.0.1:$MGMT_PORT/q/health/ready" && break
  sleep 0.2
done
# One order first, so the lazily started threads (publish writer, dispatcher lanes) exist when strace attaches.
post() {
  curl -s -o /dev/null -w '%{http_code}\n' -H 'Content-Type: application/json' -H 'X-Api-Key: bench-erp-key' \
    -d "{\"AUFNR\": \"F$1-$RANDOM$RANDOM\", \"WERKS\": \"P1\", \"MATNR\": \"MAT-4711\", \"GAMNG\": 500, \"GMEIN\": \"PC\", \"GSTRP\": \"2026-12-01\", \"GLTRP\": \"2026-12-03\", \"STATUS\": \"REL\"}" \
    "http://127.0.0.1:$PORT/inbound/erp/production-orders"
}
echo "first order: $(post 0)"
sleep 2
TRACE="$DIR/strace.txt"
strace -f -qq -e trace=fsync,fdatasync -o "$TRACE" $(for t in /proc/$WEFT/task/*; do printf -- '-p %s ' "${t##*/}"; done) &
STRACE=$!
sleep 2
ACKED=0
for i in $(seq 1 "$N"); do
  [ "$(post "$i")" = 202 ] && ACKED=$((ACKED + 1))
done
sleep 1.5 # longer than H2's write delay: what the background writer does in that time counts too
kill $STRACE; wait $STRACE 2>/dev/null || true
echo "mode $MODE: $ACKED orders answered 202 one after another; $(grep -cE 'fsync|fdatasync' "$TRACE") fsync/fdatasync calls"
