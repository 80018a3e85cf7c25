#!/usr/bin/env bash
# Starts the portal with ESP Hub: backend on :7007 (SQLite file in .data/), frontend
# on :3000, guest sign-in as the ESP admin, local Postmark, Mailgun and SMTP stand-ins.
# Says "ready" once the backend is ready, sign-in resolves the user's groups and the
# frontend answers. Extra config files layer on top of app-config.yaml, e.g.
#   ./scripts/start.sh app-config.developer.yaml   (sign in as a non-admin)
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$ROOT"

ensure_dependencies
mkdir -p .data/sqlite

args=(--config "$ROOT/app-config.yaml")
for extra in "$@"; do
  args+=(--config "$(cd "$(dirname "$extra")" && pwd)/$(basename "$extra")")
done

# The portal runs in its own process group so that Ctrl-C or a kill of this
# script stops the frontend and the backend with it.
setsid "$YARN" start "${args[@]}" &
portal=$!
stop_portal() { kill -- "-$portal" 2>/dev/null || true; }
trap 'stop_portal; exit 130' INT TERM
trap stop_portal EXIT

http_ok() { node -e 'fetch(process.argv[1]).then(r => process.exit(r.ok ? 0 : 1), () => process.exit(1))' "$1"; }
waited=0
until http_ok http://localhost:7007/.backstage/health/v1/readiness &&
  node scripts/sign-in-ready.js && http_ok http://localhost:3000; do
  if ! kill -0 "$portal" 2>/dev/null; then
    wait "$portal"
    exit $?
  fi
  sleep 2
  waited=$((waited + 2))
  if [ "$waited" -eq 300 ]; then
    echo "Still waiting for the portal after 5 minutes (backend readiness, sign-in or the frontend)." >&2
  fi
done
user="$(node scripts/sign-in-ready.js "" --print 2>/dev/null || true)"
log "ESP Hub is ready: http://localhost:3000/dashboard/settings/integrations/esp (signed in as ${user:-the guest})"
wait "$portal"
