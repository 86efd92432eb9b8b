#!/bin/sh
# Makes the salted hash Weft's configuration holds for an API key or an operator password (see README, Security).
#   ./hash-secret.sh --new-key              a new random API key and its hash
#   ./hash-secret.sh --key <api key>        the hash of a given key
#   ./hash-secret.sh --password <password>  the hash of an operator's password
# Runs the JDK-only source file directly; needs Java 17, not the build.
exec java "$(dirname "$0")/src/main/java/io/weft/security/KeyHashes.java" "$@"
