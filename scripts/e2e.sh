#!/usr/bin/env bash
# Browser tests: builds the frontend for production and starts the backend, which
# serves it (a page of the dev bundle takes seconds to load; the built one does not),
# on a fresh SQLite directory with the local provider stand-ins; runs the admin
# Playwright project, restarts the backend signed in as a non-admin, runs the
# developer project. Usage: e2e.sh REPORT_PREFIX [SPEC…]  (writes REPORT_PREFIX.admin.json,
# .developer.json). SPECs (paths below e2e-tests/) are handed to Playwright; a project none
# of them belongs to is skipped, with its backend restart.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$ROOT"
ensure_chromium

REPORT="${1:-/tmp/esp-e2e}"
[ "$#" -gt 0 ] && shift
SPECS=("$@")
# Whether a project runs: always without SPECs, else when one of them is in its folder.
runs_project() {
  [ "${#SPECS[@]}" -eq 0 ] && return 0
  local spec
  for spec in "${SPECS[@]}"; do
    [[ "$spec" == *"$1/"* ]] && return 0
  done
  return 1
}
WORK="$(mktemp -d /tmp/esp-hub-e2e.XXXXXX)"
pids=()
stop_all() {
  for pid in "${pids[@]}"; do
    kill -- "-$pid" 2>/dev/null || kill "$pid" 2>/dev/null || true
  done
  pids=()
}
# The build is only for this run: a later `scripts/start.sh` must not serve it.
trap 'stop_all; rm -rf "$WORK" "$ROOT/packages/app/dist"' EXIT

cat > "$WORK/e2e.yaml" <<YAML
app:
  baseUrl: http://localhost:7007
backend:
  database:
    client: better-sqlite3
    connection:
      directory: $WORK/sqlite
esp:
  secrets:
    developmentKeyFile: $WORK/esp-dev-secret-key
  # The analytics spec waits for the rollup of the traffic it sends.
  analytics:
    rollup:
      frequency: { seconds: 5 }
YAML

http_ok() { # url: exits 0 on a 2xx answer (node, since curl may be missing)
  node -e 'fetch(process.argv[1]).then(r => process.exit(r.ok ? 0 : 1), () => process.exit(1))' "$1"
}

wait_for() { # url, seconds, what, pid of the server
  local url="$1" deadline=$((SECONDS + $2))
  until http_ok "$url"; do
    if [ "$SECONDS" -ge "$deadline" ] || ! kill -0 "$4" 2>/dev/null; then
      echo "$3 did not become ready at $url within $2 s" >&2
      tail -n 60 "$WORK"/*.log >&2 || true
      return 1
    fi
    # Checked twice a second: a longer wait only idles past readiness.
    sleep 0.5
  done
}

start_backend() { # group the signed-in user must belong to, extra config file or empty
  local group="$1" extra=()
  shift
  [ -n "${1:-}" ] && extra=(--config "$1")
  (cd packages/backend && exec setsid "$YARN" backstage-cli package start \
    --config "$ROOT/app-config.yaml" --config "$WORK/e2e.yaml" "${extra[@]}") \
    >"$WORK/backend.log" 2>&1 &
  backend_pid=$!
  pids+=("$backend_pid")
  # Readiness, not just an open port: it stays 503 until every plugin started.
  wait_for http://localhost:7007/.backstage/health/v1/readiness 180 backend "$backend_pid"
  # Sign-in resolves the user in the catalog; wait until the example org is there.
  wait_for_catalog_user "$group"
}

wait_for_catalog_user() {
  local deadline=$((SECONDS + 120))
  until node scripts/sign-in-ready.js "$1"; do
    if [ "$SECONDS" -ge "$deadline" ]; then
      echo "sign-in never resolved a member of $1: is examples/org.yaml loaded?" >&2
      return 1
    fi
    sleep 0.5
  done
}

stop_backend() {
  kill -- "-$backend_pid" 2>/dev/null || true
  wait "$backend_pid" 2>/dev/null || true
  for _ in $(seq 1 60); do
    http_ok http://localhost:7007/.backstage/health/v1/liveness || break
    sleep 0.5
  done
}

# The portal and the stand-ins use fixed ports (app-config.yaml). A portal left
# running (./scripts/start.sh) would answer in place of the one under test.
for port in 7007 7101 7102 7125; do
  if node -e 'const s=require("net").createServer();s.once("error",()=>process.exit(1));s.listen(+process.argv[1],"0.0.0.0",()=>s.close())' "$port"; then
    continue
  fi
  echo "Port $port is in use (is ./scripts/start.sh still running?): stop it, then run the tests again." >&2
  exit 1
done

mkdir -p "$WORK/sqlite"
log "Building the frontend"
(cd packages/app && "$YARN" backstage-cli package build \
  --config "$ROOT/app-config.yaml" --config "$WORK/e2e.yaml") >"$WORK/app-build.log" 2>&1 || {
  tail -n 60 "$WORK/app-build.log" >&2
  exit 1
}

log "Starting the backend as the ESP admin"
start_backend group:default/esp-admins ""
# The backend's app plugin serves the built frontend on its own port.
wait_for http://localhost:7007 60 frontend "$backend_pid"
export PLAYWRIGHT_URL=http://localhost:7007

status=0
if runs_project admin; then
  PLAYWRIGHT_JSON_OUTPUT_NAME="$REPORT.admin.json" \
    "$YARN" playwright test --project=admin --reporter=list,json "${SPECS[@]}" || status=1
fi

if runs_project developer; then
  log "Restarting the backend as a developer who is not an ESP admin"
  stop_backend
  start_backend group:default/developers "$ROOT/app-config.developer.yaml"
  PLAYWRIGHT_JSON_OUTPUT_NAME="$REPORT.developer.json" \
    "$YARN" playwright test --project=developer --reporter=list,json "${SPECS[@]}" || status=1
fi

exit "$status"
