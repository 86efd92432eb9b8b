#!/usr/bin/env bash
# Runs Weft with the demo plant: simulated ERP, MES and WMS, embedded H2 under ./data/demo.
# Builds the application first when it is missing or older than the sources.
set -euo pipefail
cd "$(dirname "$0")"
jar=target/quarkus-app/quarkus-run.jar
if [ ! -f "$jar" ] || [ -n "$(find src pom.xml application.properties -newer "$jar" -print -quit)" ]; then
  mvn -B -q package -DskipTests
fi
# Extra JVM options (e.g. -Dquarkus.http.port=8085) may be given as arguments.
exec java -Dquarkus.profile=demo "$@" -jar "$jar"
