#!/usr/bin/env bash
# Browser tests: starts the portal as `scripts/start.sh` does (dev frontend + backend,
# a fresh SQLite directory, the local Postmark/SMTP stand-ins), runs the admin
# Playwright project, restarts the backend signed in as a non-admin, runs the
# developer project. Usage: e2e.sh REPORT_PREFIX  (writes REPORT_PREFIX.admin.json, .developer.json)
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$ROOT"
ensure_chromium

REPORT="${1:-/tmp/esp-e2e}"
WORK="$(mktemp -d /tmp/esp-hub-e2e.XXXXXX)"
pids=()
stop_all() {
  for pid in "${pids[@]}"; do
    kill -- "-$pid" 2>/dev/null || kill "$pid" 2>/dev/null || true
  done
  pids=()
}
trap 'stop_all; rm -rf "$WORK"' EXIT

cat > "$WORK/e2e.yaml" <<YAML
backend:
  database:
    client: better-sqlite3
    connection:
      directory: $WORK/sqlite
esp:
  secrets:
    developmentKeyFile: $WORK/esp-dev-secret-key
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
    sleep 1
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
    sleep 2
  done
}

stop_backend() {
  kill -- "-$backend_pid" 2>/dev/null || true
  wait "$backend_pid" 2>/dev/null || true
  for _ in $(seq 1 30); do
    http_ok http://localhost:7007/.backstage/health/v1/liveness || break
    sleep 1
  done
}

# The portal and the stand-ins use fixed ports (app-config.yaml). A portal left
# running (./scripts/start.sh) would answer in place of the one under test.
for port in 3000 7007 7101 7102 7125; do
  if node -e 'const s=require("net").createServer();s.once("error",()=>process.exit(1));s.listen(+process.argv[1],"0.0.0.0",()=>s.close())' "$port"; then
    continue
  fi
  echo "Port $port is in use (is ./scripts/start.sh still running?): stop it, then run the tests again." >&2
  exit 1
done

mkdir -p "$WORK/sqlite"
log "Starting the frontend dev server"
(cd packages/app && exec setsid "$YARN" backstage-cli package start \
  --config "$ROOT/app-config.yaml" --config "$WORK/e2e.yaml") >"$WORK/app.log" 2>&1 &
app_pid=$!
pids+=("$app_pid")

log "Starting the backend as the ESP admin"
start_backend group:default/esp-admins ""
wait_for http://localhost:3000 240 frontend "$app_pid"

status=0
PLAYWRIGHT_JSON_OUTPUT_NAME="$REPORT.admin.json" \
  "$YARN" playwright test --project=admin --reporter=list,json || status=1

log "Restarting the backend as a developer who is not an ESP admin"
stop_backend
start_backend group:default/developers "$ROOT/app-config.developer.yaml"
PLAYWRIGHT_JSON_OUTPUT_NAME="$REPORT.developer.json" \
  "$YARN" playwright test --project=developer --reporter=list,json || status=1

exit "$status"
