#!/usr/bin/env bash
#
# soak.sh - the soak of docs/reliability.md#soak for as long as you like: SoakIT (an extra TSD under
# pushes at a few hundred runs a second, its own pulls from the fake Catchpoint, a forwarder to a real
# InfluxDB that is stopped and started again every two minutes, Grafana bridge queries), the same test
# the suite runs for two minutes, on a stack of its own that Maven starts and stops.
#
#   SOAK_MINUTES=30 bash integration-tests/soak.sh        # 30 minutes of load (the default)
#
# Environment: SOAK_MINUTES (30), SOAK_RATE (runs a second, 300), SOAK_STACK_DIR (target/soak-stack).
# Extra arguments go to Maven (-o for an offline build). The samples (heap after a full GC, threads, open
# files, the forwarder's and the push's counters) are in target/soak/samples.csv, the summary in the output.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

minutes="${SOAK_MINUTES:-30}"
rate="${SOAK_RATE:-300}"
stack="$(realpath -m "${SOAK_STACK_DIR:-target/soak-stack}")"
[[ "$minutes" =~ ^[0-9]+$ && "$minutes" -ge 1 ]] || { echo "SOAK_MINUTES must be a whole number of minutes" >&2; exit 2; }

soak_stack() { STACK_DIR="$stack" bash integration-tests/tsd.sh "$@"; }
soak_stack stop >/dev/null 2>&1 || true
trap 'soak_stack stop >/dev/null 2>&1 || true' EXIT

mvn -B -ntp verify -Dtest=NONE -Dsurefire.failIfNoSpecifiedTests=false -Dit.test=SoakIT \
  -Dit.stack.dir="$stack" -Dit.soak.seconds=$((minutes * 60)) -Dit.soak.rate="$rate" "$@"
echo "samples: target/soak/samples.csv"
