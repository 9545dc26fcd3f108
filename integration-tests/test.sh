#!/usr/bin/env bash
# The whole test suite, as CI runs it: unit tests, the packaged jar, then the end-to-end tests
# against a real HBase + OpenTSDB 2.4.1 that Maven starts (integration-tests/tsd.sh) on free
# loopback ports, with fresh data, and stops afterwards. Then a second pass of a core subset of
# the end-to-end tests with the TSD on another JDK (Temurin 25: SECOND_JDK), on a stack of its
# own; TsdJvmIT checks that the TSD really ran on it. Extra arguments go to both Maven runs.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

SECOND_JDK="${SECOND_JDK:-/usr/lib/jvm/temurin-25-jdk-amd64}"
# The second pass's tests: push, bad input and bounds, hostile HTTP, pulls, the bridge and alerts, a frozen HBase.
SECOND_PASS_ITS="TsdJvmIT,PushFixturesIT,PushSemanticsIT,BadInputIT,PushBoundsIT,HostileHttpIT,PullIT,GrafanaBridgeIT,AlertsIT,StalledStorageIT"
if [[ "$SECOND_JDK" != none && ! -x "$SECOND_JDK/bin/java" ]]; then
  echo "test.sh: no JDK at $SECOND_JDK for the second pass (set SECOND_JDK to one, or to none to skip it)" >&2
  exit 1
fi

bash integration-tests/setup.sh

it_stack() { STACK_DIR="$PWD/target/$1" bash integration-tests/tsd.sh "${@:2}"; }
stop_stacks() { it_stack it-stack stop >/dev/null 2>&1 || true; it_stack it-stack-second-jdk stop >/dev/null 2>&1 || true; }
# A stack left over from an interrupted run would hold the ports and the data directory.
stop_stacks
trap stop_stacks EXIT

mvn -B -ntp clean verify "$@"

if [[ "$SECOND_JDK" != none ]]; then
  echo "test.sh: second pass, the TSD on $SECOND_JDK: $SECOND_PASS_ITS"
  mvn -B -ntp verify -Dtest=NONE -Dsurefire.failIfNoSpecifiedTests=false -Dit.test="$SECOND_PASS_ITS" \
    -Dit.stack.dir="$PWD/target/it-stack-second-jdk" -Dit.tsd.java.home="$SECOND_JDK" "$@"
fi
