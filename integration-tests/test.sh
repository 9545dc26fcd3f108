#!/usr/bin/env bash
# The whole test suite, as CI runs it: unit tests, the packaged jar, then the end-to-end tests
# against a real HBase + OpenTSDB 2.4.1 that Maven starts (integration-tests/tsd.sh) on free
# loopback ports, with fresh data, and stops afterwards. Extra arguments go to Maven.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

bash integration-tests/setup.sh

it_stack() { STACK_DIR="$PWD/target/it-stack" bash integration-tests/tsd.sh "$@"; }
# A stack left over from an interrupted run would hold the ports and the data directory.
it_stack stop >/dev/null 2>&1 || true
trap 'it_stack stop >/dev/null 2>&1 || true' EXIT

mvn -B -ntp clean verify "$@"
