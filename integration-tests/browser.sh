#!/usr/bin/env bash
# The browser of the operator page's end-to-end test (OperatorPageIT): Debian's Chromium, driven by
# playwright-core from the npm registry. Playwright's own browser download does not work on these
# machines (and CI starts with no Chromium), so the script launches /usr/bin/chromium.
#
#   browser.sh install            Chromium (apt-get, root) and playwright-core (npm, into
#                                 integration-tests/browser/node_modules, ignored by git) when missing;
#                                 silent when both are there
#   browser.sh check URL PNG      opens URL in headless Chromium, waits for the page to have drawn its
#                                 data, saves a screenshot to PNG and prints one JSON result
#                                 (see browser/check-page.mjs)
#
# Environment: CHROMIUM (default /usr/bin/chromium), CHECK_TIMEOUT_MS (default 30000).
set -euo pipefail

DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/browser" && pwd)"
CHROMIUM="${CHROMIUM:-/usr/bin/chromium}"
export CHROMIUM

log() { echo "browser: $*" >&2; }

apt_install() {
  if [ "$(id -u)" -ne 0 ]; then
    log "not root; install these Debian packages first: $*"
    exit 1
  fi
  log "installing $*"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}

install() {
  if [ ! -x "$CHROMIUM" ]; then
    apt_install chromium
  fi
  # playwright-core needs Node.js 20 (the machines have it; Debian 12's nodejs is 18).
  if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
    apt_install nodejs npm
  fi
  local major
  major="$(node -p 'process.versions.node.split(".")[0]')"
  if [ "$major" -lt 20 ]; then
    log "node $(node --version) found; playwright-core needs Node.js 20 or newer"
    exit 1
  fi
  local want have=""
  want="$(node -p 'require(process.argv[1]).dependencies["playwright-core"]' "$DIR/package.json")"
  if [ -f "$DIR/node_modules/playwright-core/package.json" ]; then
    have="$(node -p 'require(process.argv[1]).version' "$DIR/node_modules/playwright-core/package.json")"
  fi
  if [ "$have" != "$want" ]; then
    log "installing playwright-core $want"
    # ci: exactly the lock file; PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD: never fetch a browser.
    (cd "$DIR" && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund --loglevel=error >/dev/null)
  fi
}

case "${1:-}" in
  install)
    install
    ;;
  check)
    [ $# -eq 3 ] || { echo "usage: $0 check URL SCREENSHOT.png" >&2; exit 2; }
    exec node "$DIR/check-page.mjs" "$2" "$3"
    ;;
  *)
    echo "usage: $0 install | check URL SCREENSHOT.png" >&2
    exit 2
    ;;
esac
