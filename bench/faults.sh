#!/usr/bin/env bash
# The fault scenarios of the guarantees issue, with accounting: runs the fault tests against the packaged Weft
# (real PostgreSQL and the embedded H2, real HTTP destinations, Mosquitto, folders) and writes what each scenario
# acknowledged, journaled, had confirmed at its destination and received twice to bench/results/<time>-faults.md.
#   bench/faults.sh                 all scenarios (about 10 minutes on 2 cores)
#   bench/faults.sh IotCrashIT      only these tests (comma-separated)
# Bounded (timeout 40 min), loopback only; each test starts and stops its own Weft processes and private servers
# and leaves the machine's shared services as it found them. The tests also assert the guarantees: a scenario
# that breaks one fails the run, and its figures are still written.
set -uo pipefail
cd "$(dirname "$0")/.."
TESTS=${1:-AcknowledgedSurvivesKillIT,CrashRecoveryIT,IotCrashIT,WmsFileCrashIT,PostgresRestartUnderLoadIT}
STAMP=$(date -u +%Y%m%dT%H%M%SZ)
mkdir -p bench/results target
LEDGER=$PWD/target/faults-$STAMP.tsv
OUT=bench/results/$STAMP-faults.md
: > "$LEDGER"

[ -f target/quarkus-app/quarkus-run.jar ] || mvn -B -q package -DskipTests
timeout 2400 mvn -B verify -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false -Dit.test="$TESTS" \
  -Dweft.faults.ledger="$LEDGER" > "target/faults-$STAMP.log" 2>&1
RC=$?

{
  echo "# Fault scenarios: acknowledged vs journaled vs confirmed"
  echo
  echo "Run $STAMP by \`bench/faults.sh\` on $(nproc) cores, Weft commit $(git rev-parse --short HEAD), tests: $TESTS."
  echo "Maven exit code $RC ($( [ $RC -eq 0 ] && echo 'every guarantee held' || echo "a test failed: see target/faults-$STAMP.log"))."
  echo
  echo "| scenario | store | acknowledged | journaled | confirmed at destination | duplicates | lost | note |"
  echo "|---|---|---|---|---|---|---|---|"
  while IFS=$'\t' read -r _at scenario store acked journaled confirmed dups note; do
    lost=$(( acked > journaled ? acked - journaled : 0 ))
    echo "| $scenario | $store | $acked | $journaled | $confirmed | $dups | $lost | $note |"
  done < "$LEDGER"
  echo
  echo "Acknowledged: answered 202 (HTTP), accepted by the broker (MQTT QoS 1) or rows of a dropped file. Journaled:"
  echo "in the journal after the fault. Confirmed: distinct messages the destination received. Duplicates: receipts"
  echo "beyond the first of a message at the destination (the only allowed cause is a crash between \"sent\" and"
  echo "\"recorded\", which the destination recognises by the Idempotency-Key). Lost: acknowledged, not journaled."
  echo "A request the kill cut off may be journaled without its answer, so journaled can exceed acknowledged."
} > "$OUT"
cat "$OUT"
exit $RC
