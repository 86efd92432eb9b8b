#!/usr/bin/env bash
# Runs Weft with the demo plant: simulated ERP, MES and WMS, embedded H2 under ./data/demo.
# Builds the application first when it is missing or older than the sources.
set -euo pipefail
cd "$(dirname "$0")"
jar=target/quarkus-app/quarkus-run.jar
if [ ! -f "$jar" ] || [ -n "$(find src pom.xml application.properties -newer "$jar" -print -quit)" ]; then
  echo "Building Weft (mvn package, tests skipped): about 1 to 3 minutes the first time, while Maven fills its" \
       "local repository; later builds take under a minute. Weft starts right after." >&2
  started=$(date +%s)
  mvn -B -q package -DskipTests
  echo "Built in $(( $(date +%s) - started )) s; starting Weft." >&2
fi
# Extra JVM options (e.g. -Dquarkus.http.port=8085) may be given as arguments.
# JVM options: jvm.options (heap, GC and stack sizes measured for Weft: README, Performance), as in the container.
exec java @jvm.options -Dquarkus.profile=demo "$@" -jar "$jar"
