#!/usr/bin/env bash
# A backup, restored and checked, as README ("Running at scale") tells operators to take one:
# the release server starts on an empty PostgreSQL database and fills it with the demo data;
# `pg_dump --format=custom` takes the backup; `pg_restore` puts it into a fresh database; the
# server starts on that one; and every table holds the same rows (compared by count and by a
# digest of its contents), and a worker signs in on the restored copy.
#   scripts/restore-check.sh    # PostgreSQL from MOBILISE_TEST_POSTGRES_URL, or a private one
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
BIN="${MOBILISE_SERVER_BIN:-$ROOT/target/server-release/server}"
[ -x "$BIN" ] || { echo "restore check: no server at $BIN (cargo leptos build --release)" >&2; exit 1; }
PGBIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
work=$(mktemp -d /tmp/mobilise-restore.XXXXXX)
server=""
cleanup() {
  [ -n "$server" ] && kill "$server" 2>/dev/null || true
  [ -n "${own_pg:-}" ] && scripts/postgres.sh stop "$MOBILISE_PG_DIR"
  rm -rf "$work"
}
trap cleanup EXIT
if [ -z "${MOBILISE_TEST_POSTGRES_URL:-}" ]; then
  eval "$(scripts/postgres.sh start)"
  own_pg=1
fi
URL="$MOBILISE_TEST_POSTGRES_URL"
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
src="mobilise_backup_$$"
dst="mobilise_restored_$$"

# The release server on database $1, until it is ready.
start() {
  DATABASE_URL="$URL/$1" LEPTOS_SITE_ADDR="127.0.0.1:$port" LEPTOS_SITE_ROOT="$work" LEPTOS_OUTPUT_NAME=mobilise \
    MOBILISE_DEMO=1 MOBILISE_DRAIN_SECONDS=0 MOBILISE_MAIL_DIR="$work/mail" MOBILISE_LOG=warn \
    "$BIN" >>"$work/server.log" 2>&1 &
  server=$!
  for _ in $(seq 1 600); do
    curl -fs "http://127.0.0.1:$port/readyz" >/dev/null && return 0
    kill -0 "$server" 2>/dev/null || { cat "$work/server.log" >&2; exit 1; }
    sleep 0.1
  done
  echo "restore check: the server on $1 never became ready" >&2
  exit 1
}

# A worker signs in (the accounts and their passwords came through); then the server stops, on
# SIGTERM as a service manager stops it.
sign_in_and_stop() {
  signed_in=$(curl -s -o /dev/null -w '%{http_code}' -H "Origin: http://127.0.0.1:$port" \
    --data 'email=sam%40riverside.example&password=mobilise-demo-2026' "http://127.0.0.1:$port/api/auth/login")
  [ "$signed_in" = 200 ] || { echo "restore check: signing in answered $signed_in" >&2; exit 1; }
  kill -TERM "$server"
  wait "$server" || true
  server=""
}

# Every table but the sessions (signing in makes one): its name, rows and a digest of its rows.
figures() {
  "$PGBIN/psql" -At "$URL/$1" -c "SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename <> 'sessions' ORDER BY 1" |
    while read -r table; do
      "$PGBIN/psql" -At "$URL/$1" -c \
        "SELECT '$table', COUNT(*), md5(COALESCE(string_agg(x::text, E'\\n' ORDER BY x::text), '')) FROM \"$table\" x"
    done
}

"$PGBIN/psql" -q "$URL/postgres" -c "CREATE DATABASE $src" -c "CREATE DATABASE $dst"
start "$src"
sign_in_and_stop
figures "$src" >"$work/before"
"$PGBIN/pg_dump" --format=custom --file="$work/backup.dump" "$URL/$src"
"$PGBIN/pg_restore" --no-owner --exit-on-error --dbname="$URL/$dst" "$work/backup.dump"
start "$dst"
figures "$dst" >"$work/after"
sign_in_and_stop
"$PGBIN/psql" -q "$URL/postgres" -c "DROP DATABASE $src WITH (FORCE)" -c "DROP DATABASE $dst WITH (FORCE)"
if ! diff -u "$work/before" "$work/after"; then
  echo "restore check: the restored database differs from the backed-up one (above)" >&2
  exit 1
fi
tables=$(wc -l <"$work/before")
rows=$(awk -F'|' '{ s += $2 } END { print s }' "$work/before")
echo "restore check: $tables tables, $rows rows: the same after pg_dump, pg_restore into a fresh database and a start on it ($(du -h "$work/backup.dump" | cut -f1) backup)"
