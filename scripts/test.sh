#!/usr/bin/env bash
# Runs every check: types, lint, unit/store/HTTP/React tests (store tests on SQLite
# and a real PostgreSQL 15), and the browser tests against the running portal.
# Installs what is missing first. Ends with "tests: N passed, N failed".
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$ROOT"

ensure_dependencies
ensure_postgres
ensure_chromium

WORK="$(mktemp -d /tmp/esp-hub-test.XXXXXX)"
chmod 755 "$WORK"
PGDATA="$WORK/pg"
PG_PORT="$(free_port)"
cleanup() {
  if [ -f "$PGDATA/postmaster.pid" ]; then
    su postgres -s /bin/sh -c "$PG_BIN/pg_ctl -D '$PGDATA' -m fast -w stop" >/dev/null 2>&1 || true
  fi
  rm -rf "$WORK"
}
trap cleanup EXIT

log "Starting PostgreSQL 15 on 127.0.0.1:$PG_PORT"
mkdir -p "$PGDATA" && chown postgres "$PGDATA"
if ! su postgres -s /bin/sh -c "$PG_BIN/initdb -D '$PGDATA' -U postgres --auth=trust -E UTF8" >"$WORK/initdb.log" 2>&1; then
  echo "initdb failed:" >&2
  cat "$WORK/initdb.log" >&2
  exit 1
fi
# A throwaway cluster: no flush to disk per commit. Each test creates and migrates
# a database of its own, and those commits (DDL, CREATE DATABASE) otherwise wait on
# the disk; what the tests check (locking, transactions, SQL) is the same.
PG_OPTIONS="-p $PG_PORT -h 127.0.0.1 -k /tmp -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
if ! su postgres -s /bin/sh -c "$PG_BIN/pg_ctl -D '$PGDATA' -l '$PGDATA/server.log' -o '$PG_OPTIONS' -w start" >"$WORK/pg_ctl.log" 2>&1; then
  echo "PostgreSQL did not start:" >&2
  cat "$WORK/pg_ctl.log" >&2
  tail -n 40 "$PGDATA/server.log" >&2 || true
  exit 1
fi
export BACKSTAGE_TEST_DISABLE_DOCKER=1
export BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING="postgresql://postgres@127.0.0.1:$PG_PORT"
# Store tests skip PostgreSQL silently without the variable above; this proves it answers.
node -e "
const { Client } = require('pg');
const c = new Client({ connectionString: process.env.BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING });
c.connect().then(() => c.query('select version()')).then(r => { console.log(r.rows[0].version); return c.end(); })
  .catch(e => { console.error('PostgreSQL is not reachable:', e.message); process.exit(1); });
"

status=0
# The static checks are independent: run side by side, each told in full after.
log "Type check, lint and formatting"
static_check() { # name, command...
  local name="$1"
  shift
  if "$@" >"$WORK/$name.log" 2>&1; then
    echo "ok" >"$WORK/$name.status"
  else
    echo "failed" >"$WORK/$name.status"
  fi
}
static_check typecheck "$YARN" tsc &
static_check lint "$YARN" backstage-cli repo lint &
static_check formatting "$YARN" prettier:check &
wait
for name in typecheck lint formatting; do
  echo "--- $name: $(cat "$WORK/$name.status")"
  cat "$WORK/$name.log"
  [ "$(cat "$WORK/$name.status")" = ok ] || status=1
done

log "Unit, store, HTTP and React tests"
JEST_JSON="$WORK/jest.json"
"$YARN" backstage-cli repo test --ci --watchAll=false --json --outputFile="$JEST_JSON" || status=1
node scripts/check-jest-results.js "$JEST_JSON" || status=1

log "Browser tests"
E2E_JSON="$WORK/e2e"
scripts/e2e.sh "$E2E_JSON" || status=1

node scripts/summarize-tests.js "$JEST_JSON" "$E2E_JSON.admin.json" "$E2E_JSON.developer.json" || status=1
exit "$status"
