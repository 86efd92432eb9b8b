#!/usr/bin/env bash
# The embedded store's candidates measured: what a kill -9 right after the last 202 loses, and throughput.
#
#   bench/embedded-store.sh [--rounds 3] [--orders 200] [--threads 8] [--warmup 15] [--seconds 30]
#                           [--candidates h2-lazy,h2-write-delay-0,h2-write,h2-sync-acks,h2-sync,pg]
#
# Loopback only: Weft (the packaged jar, built if missing) as a child process per round, an MES on a closed port
# (crash rounds) or a JDK HTTP server answering 201 (throughput), PostgreSQL on 127.0.0.1:5432 for the reference
# candidate. Bounded: the whole run is stopped after 30 minutes. Writes bench/results/embedded-store.md.
set -euo pipefail
cd "$(dirname "$0")/.."

JAR=target/quarkus-app/quarkus-run.jar
if [ ! -f "$JAR" ] || [ -n "$(find pom.xml src/main application.properties -newer "$JAR" -print -quit)" ]; then
  echo "building Weft (mvn -B -q package -DskipTests)" >&2
  mvn -B -q package -DskipTests
fi
# The drivers Weft itself is packaged with, to open its stores after a kill.
CP=$(ls target/quarkus-app/lib/main/com.h2database.h2-*.jar target/quarkus-app/lib/main/org.postgresql.postgresql-*.jar | paste -sd:)
SCRATCH=bench/target/embedded-store
rm -rf "$SCRATCH" && mkdir -p "$SCRATCH"
HOST="$(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GB, $(findmnt -no FSTYPE -T "$SCRATCH") on $(findmnt -no SOURCE -T "$SCRATCH"), load $(cut -d' ' -f1-3 /proc/loadavg)"
timeout 1800 java -cp "$CP" bench/EmbeddedStoreBench.java --jar "$JAR" --scratch "$SCRATCH" \
  --out bench/results/embedded-store.md --commit "$(git rev-parse --short HEAD)" --host "$HOST" "$@"
cp bench/results/embedded-store.md "bench/results/$(date -u +%Y%m%dT%H%MZ)-embedded-store.md"
