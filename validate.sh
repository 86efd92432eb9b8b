#!/usr/bin/env bash
# Checks a plant's routes and mappings before a deploy, without starting Weft or touching its database:
# the route files loaded into Camel's route model (destinations, beans and their methods, endpoint options,
# Kamelet parameters, mapping names, headers, {{placeholders}} against the settings of the profile), every
# Kamelet, mapping (JSONata compiles), layout, schema (JSON Schema 2020-12), lookup table, and every mapping
# example. One line per problem, <file>:<line>[:<column>]: <problem>.
#
#   ./validate.sh [--profile <name>] [routes-dir] [mappings-dir]      defaults: no profile, routes mappings
#   ./validate.sh --dry-run <candidate mapping> --type <Type> --last <N> [--live <mapping>] [--store <jdbc url>] [mappings-dir]
#     runs a shadow candidate over the journal (README, "Shadow runs")
#   exit 0: no problems; 1: problems (listed); 2: bad usage
#
# Runs on the packaged application's class path: target/quarkus-app (built here if missing), or
# /deployments in the container image, or WEFT_APP=<dir of a quarkus-app>.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
app="${WEFT_APP:-}"
if [ -z "$app" ]; then
  if [ -d "$here/target/quarkus-app/lib/main" ]; then
    app="$here/target/quarkus-app"
  elif [ -d /deployments/lib/main ]; then
    app=/deployments
  else
    echo "validate: building Weft first (mvn package)" >&2
    (cd "$here" && mvn -B -q package -DskipTests >&2)
    app="$here/target/quarkus-app"
  fi
fi
exec java -XX:TieredStopAtLevel=1 -cp "$app/app/*:$app/lib/main/*:$app/lib/boot/*" io.weft.tools.Validate "$@"
