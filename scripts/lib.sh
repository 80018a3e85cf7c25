# Shared by start.sh and test.sh: install what the project needs, once.
# shellcheck shell=bash
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
YARN="$ROOT/scripts/yarn"
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1
export npm_config_nodedir="${npm_config_nodedir:-/usr}"

log() { printf '\n==> %s (at %d s)\n' "$*" "$SECONDS" >&2; }

as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi
}

apt_updated=""
apt_install() {
  if [ -z "$apt_updated" ]; then
    as_root apt-get update -qq
    apt_updated=1
  fi
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}

check_node() {
  local major
  major="$(node -p 'process.versions.node.split(".")[0]')"
  case "$major" in
    20|22|24) ;;
    *) echo "Node $major is not supported: use Node 20, 22 or 24" >&2; exit 1 ;;
  esac
}

# yarn install only when the lockfile or a manifest changed since the last one.
ensure_dependencies() {
  check_node
  local stamp="$ROOT/node_modules/.esp-install-stamp"
  local sum
  sum="$(cat "$ROOT/yarn.lock" "$ROOT"/package.json "$ROOT"/packages/*/package.json "$ROOT"/plugins/*/package.json | sha256sum | cut -d' ' -f1)"
  if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$sum" ]; then
    return
  fi
  log "Installing dependencies (yarn $(node "$ROOT/.yarn/releases/yarn-4.13.0.cjs" --version), the npm registry)"
  if [ -n "${CI:-}" ]; then
    (cd "$ROOT" && "$YARN" install --immutable)
  else
    (cd "$ROOT" && "$YARN" install)
  fi
  echo "$sum" > "$stamp"
}

PG_BIN=/usr/lib/postgresql/15/bin
ensure_postgres() {
  if [ ! -x "$PG_BIN/initdb" ]; then
    log "Installing PostgreSQL 15 from Debian"
    apt_install postgresql-15
  fi
}

ensure_chromium() {
  if [ ! -x /usr/bin/chromium ]; then
    log "Installing Chromium from Debian"
    apt_install chromium
  fi
}

free_port() {
  node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'
}
