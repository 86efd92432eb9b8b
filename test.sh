#!/usr/bin/env bash
# The test command (README, quick start): on a fresh Debian machine it installs what the tests need, starts the
# machine's PostgreSQL, MariaDB and Mosquitto if they are down, then runs every test (as mvn -B verify [args] does,
# with the in-JVM and the process tests side by side).
# Tests that stop a broker or database start their own private instance (io.weft.testing.Private*); this script
# never stops or restarts a running service.
set -euo pipefail
cd "$(dirname "$0")"

as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

# --- Debian packages: the services, sshd (the SFTP test runs its own), kubectl (KubernetesManifestsTest builds the
# overlays with the kustomize built into Debian's kubectl), nginx (LoadBalancedClusterIT runs a private one), chromium
# (ConsoleBrowserIT drives it with playwright-core; never a downloaded browser), the JDK and Maven; Node.js and npm
# for the browser scenarios -----------------------------------------------------------------------------------------
missing=()
for pkg in openssh-server mosquitto mariadb-server postgresql nginx chromium; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
command -v kubectl >/dev/null || missing+=(kubectl)
command -v java >/dev/null || missing+=(openjdk-17-jdk-headless)
command -v mvn >/dev/null || missing+=(maven)
command -v npm >/dev/null || missing+=(nodejs npm)
if [ ${#missing[@]} -gt 0 ]; then
  echo "installing ${missing[*]}"
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}"
fi

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

await_port() { # port name
  for _ in $(seq 1 60); do
    if port_open "$1"; then return 0; fi
    sleep 1
  done
  echo "$2 did not come up on 127.0.0.1:$1" >&2
  return 1
}

# --- PostgreSQL 127.0.0.1:5432, user postgres without password ---------------------------------------------------
if ! port_open 5432; then
  echo "starting PostgreSQL"
  as_root pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | sort -n | tail -1)" main start
fi
await_port 5432 PostgreSQL
if ! psql -h 127.0.0.1 -U postgres -w -Atc 'SELECT 1' postgres >/dev/null 2>&1; then
  # A fresh install asks loopback clients for a password; the tests connect as postgres without one.
  echo "letting loopback clients in without password (pg_hba.conf)"
  version=$(ls /etc/postgresql | sort -n | tail -1)
  hba=/etc/postgresql/$version/main/pg_hba.conf
  as_root sed -i '1i host all all 127.0.0.1/32 trust\nhost all all ::1/128 trust' "$hba"
  as_root runuser -u postgres -- psql -Atc 'SELECT pg_reload_conf()' >/dev/null
fi

# --- MariaDB 127.0.0.1:3306, root without password ----------------------------------------------------------------
if ! port_open 3306; then
  # A server still shutting down makes start-stop-daemon --oknodo do nothing: wait for it to be gone first.
  for _ in $(seq 1 30); do pgrep -x mariadbd >/dev/null || break; sleep 1; done
  echo "starting MariaDB"
  as_root install -d -o mysql -g mysql /run/mysqld
  as_root start-stop-daemon --start --oknodo --background --exec /usr/sbin/mariadbd
fi
await_port 3306 MariaDB
if ! mariadb -h 127.0.0.1 -u root -e 'SELECT 1' >/dev/null 2>&1; then
  # A fresh install lets root in by its Unix socket only; the tests connect over TCP as root without password.
  echo "letting root in over TCP without password (MariaDB)"
  as_root mariadb -e "ALTER USER root@localhost IDENTIFIED VIA unix_socket OR mysql_native_password USING PASSWORD('')"
fi

# --- Mosquitto 127.0.0.1:1883, anonymous ------------------------------------------------------------------------
if ! port_open 1883; then
  echo "starting Mosquitto"
  as_root install -d -o mosquitto -g mosquitto /run/mosquitto
  as_root mosquitto -d -c /etc/mosquitto/mosquitto.conf
fi
await_port 1883 Mosquitto

# --- The tests ----------------------------------------------------------------------------------------------------
# mvn -B verify runs them one after the other. Here: build once, then the in-JVM tests (surefire) and the process
# tests (failsafe: packaged Weft processes, kill -9, restarts, the browser) side by side, since both wait a good part
# of their time (leases, retry backoffs, process starts) and the other stream uses the core meanwhile; then
# LogHygieneIT, which reads every log both wrote, and failsafe's verdict. WEFT_TESTS_SERIAL=1: plain mvn verify.
if [ "${WEFT_TESTS_SERIAL:-0}" = 1 ]; then
  exec mvn -B verify "$@"
fi
mvn -B package -DskipTests "$@"
prefixed() { # tag command...: the command's output, each line tagged, and the command's exit status
  local tag=$1; shift
  set -o pipefail
  "$@" 2>&1 | sed -u "s/^/[$tag] /"
}
prefixed unit mvn -B surefire:test "$@" &
unit=$!
prefixed process mvn -B failsafe:integration-test@process-tests "$@" &
process=$!
status=0
wait "$unit" || status=1
wait "$process" || status=1
mvn -B failsafe:integration-test@log-hygiene failsafe:verify@verify "$@" || status=1
# The two streams' logs interleave and a CI log may keep only its tail: name every failed test last.
if [ "$status" != 0 ]; then
  echo "failed tests (target/surefire-reports, target/failsafe-reports):"
  # perl-base is on every Debian system; the reports' testcase elements span lines.
  perl -0777 -ne 'while (/<testcase name="([^"]*)" classname="([^"]*)"[^>]*>\s*<(failure|error)(?: message="([^"]{0,300}))?/g) {
      print "  $2.$1 ($3): $4\n" }' target/surefire-reports/TEST-*.xml target/failsafe-reports/TEST-*.xml 2>/dev/null || true
fi
exit "$status"
