#!/usr/bin/env bash
# The longer fuzzing run (mvn verify runs a bounded one of a few seconds per target): every fuzz target
# (the *FuzzTest classes of src/test/java), or the ones named, for MINUTES each, one after the other.
#
#   integration-tests/fuzz.sh [MINUTES] [FuzzTestClass...]      e.g. integration-tests/fuzz.sh 5 PushFuzzTest
#
# Jazzer keeps its corpus in .run/fuzz/.cifuzz-corpus/<class>/<method> (it grows from run to run) and writes
# each finding (crash-*, timeout-*) to .run/fuzz/src/test/resources/<package>/<Class>Inputs/<method>/, the
# same path below src/test/resources where a regression input is checked in: copy the file there, fix the
# code, and `mvn test` runs it in the fuzz-regression execution from then on. The log is .run/fuzz/fuzz.log;
# the last lines are each target's executions and executions per second. FUZZ_FORKS=2 runs two at a time.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

minutes=${1:-5}
shift || true
targets=$(IFS=,; echo "${*:-*FuzzTest}")
dir="$PWD/.run/fuzz"
mkdir -p "$dir/src/test/resources"
log="$dir/fuzz.log"

status=0
mvn -B -ntp ${MVN_OFFLINE:+-o} test-compile surefire:test@fuzz -Dfuzz.test="$targets" \
  -Dfuzz.seconds=$((minutes * 60)) -Dfuzz.dir="$dir" -Dfuzz.forks="${FUZZ_FORKS:-1}" 2>&1 | tee "$log" \
  || status=$?

echo "== fuzz.sh: executions per target (libFuzzer's final stats)"
awk '/Running org\.opentsdbcatchpoint\./ {t=$NF} /stat::number_of_executed_units/ {n=$2}
     /stat::average_exec_per_sec/ {printf "%-60s %12s runs %8s exec/s\n", t, n, $2}' "$log"
findings=$(find "$dir/src/test/resources" -type f \( -name 'crash-*' -o -name 'timeout-*' -o -name 'oom-*' \) 2>/dev/null)
if [ -n "$findings" ]; then
  echo "== fuzz.sh: findings (copy each to the same path below src/test/resources/ once fixed):"
  echo "$findings"
fi
exit $status
