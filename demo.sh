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
# glibc's malloc keeps up to 8 arenas per core, each holding freed memory: two are enough for Weft (README,
# Performance).
export MALLOC_ARENA_MAX=${MALLOC_ARENA_MAX:-2}
# Class-data sharing (the JDK's AppCDS): the first run after a build records the classes Weft loaded into
# target/weft.jsa when it stops; later runs map them instead of loading and verifying them again (README,
# Performance: a sixth to a quarter of a start). The JVM refuses an archive made for other jars, so a new build
# records anew.
cds=target/weft.jsa
if [ -f "$cds" ] && [ "$cds" -nt "$jar" ]; then
  cds_opts=(-XX:SharedArchiveFile="$cds")
else
  rm -f "$cds"
  echo "This first run after a build records $cds for faster starts when Weft stops (Ctrl-C; it takes a few seconds)." >&2
  cds_opts=(-XX:ArchiveClassesAtExit="$cds" -Xlog:cds=error -Xlog:cds+dynamic=error)
fi
# Extra JVM options (e.g. -Dquarkus.http.port=8085) may be given as arguments.
# JVM options: jvm.options (heap, GC and stack sizes measured for Weft: README, Performance), as in the container.
exec java @jvm.options "${cds_opts[@]}" -Dquarkus.profile=demo "$@" -jar "$jar"
