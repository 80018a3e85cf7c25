#!/usr/bin/env bash
# Starts the portal with ESP Hub: backend on :7007 (SQLite file in .data/), frontend
# on :3000, guest sign-in as the ESP admin, local Postmark and SMTP stand-ins.
# Extra config files layer on top of app-config.yaml, e.g.
#   ./scripts/start.sh app-config.developer.yaml   (sign in as a non-admin)
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$ROOT"

ensure_dependencies
mkdir -p .data/sqlite

args=(--config "$ROOT/app-config.yaml")
for extra in "$@"; do
  args+=(--config "$(cd "$(dirname "$extra")" && pwd)/$(basename "$extra")")
done
exec "$YARN" start "${args[@]}"
