#!/usr/bin/env bash
# Installs what the build and the tests need on a fresh Debian machine, and nothing when it is
# already there: a JDK (17+, to build and test; the jar itself targets Java 8) and Maven.
# Everything else (HBase, OpenTSDB) comes from Maven Central through integration-tests/stack/pom.xml.
set -euo pipefail

need=()
command -v java >/dev/null 2>&1 || need+=(openjdk-17-jdk-headless)
command -v javac >/dev/null 2>&1 || need+=(openjdk-17-jdk-headless)
command -v mvn >/dev/null 2>&1 || need+=(maven)
command -v curl >/dev/null 2>&1 || need+=(curl)

if [ "${#need[@]}" -gt 0 ]; then
  echo "setup: installing ${need[*]}"
  if [ "$(id -u)" -ne 0 ]; then
    echo "setup: not root; install these packages first: ${need[*]}" >&2
    exit 1
  fi
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends $(printf '%s\n' "${need[@]}" | sort -u) >/dev/null
fi

java_major=$(java -XshowSettings:properties -version 2>&1 | awk -F'= ' '/java.specification.version/ {print $2}')
if [ "${java_major%%.*}" -lt 17 ] 2>/dev/null; then
  echo "setup: java $java_major found; the build and tests need JDK 17 or newer" >&2
  exit 1
fi

# The forwarders' end-to-end tests run a real carbon-cache, InfluxDB 1.x and Prometheus from Debian's
# packages, and KairosDB 1.3.0 from Maven Central (its jars fetched into .run/lib/kairosdb).
bash "$(dirname "${BASH_SOURCE[0]}")/forwarders.sh" install

# The operator page's browser test (OperatorPageIT) drives Debian's Chromium through playwright-core.
bash "$(dirname "${BASH_SOURCE[0]}")/browser.sh" install
