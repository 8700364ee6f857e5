#!/usr/bin/env bash
# Starts a throwaway PostgreSQL cluster on loopback for the tests, and stops it.
#   eval "$(scripts/postgres.sh start)"   # exports MOBILISE_TEST_POSTGRES_URL and MOBILISE_PG_DIR
#   scripts/postgres.sh stop "$MOBILISE_PG_DIR"
set -euo pipefail
BIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
case "${1:-}" in
  start)
    # The first free port from 55432 up (another cluster, or another checkout's, may hold one).
    PORT="${MOBILISE_PG_PORT:-$(python3 -c '
import socket
for port in range(55432, 55532):
    s = socket.socket()
    try:
        s.bind(("127.0.0.1", port)); print(port); break
    except OSError:
        pass
    finally:
        s.close()
')}"
    dir=$(mktemp -d /tmp/mobilise-pg.XXXXXX)
    [ "$(id -u)" = 0 ] && chown postgres:postgres "$dir"
    as_pg "$BIN/initdb" -D "$dir/data" -U postgres --auth=trust -E UTF8 --no-locale >/dev/null
    as_pg "$BIN/pg_ctl" -D "$dir/data" -l "$dir/log" -w \
      -o "-c listen_addresses=127.0.0.1 -p $PORT -k $dir -c fsync=off -c max_connections=300" start >/dev/null \
      || { echo "PostgreSQL did not start on port $PORT:" >&2; cat "$dir/log" >&2; exit 1; }
    echo "export MOBILISE_PG_DIR=$dir"
    echo "export MOBILISE_TEST_POSTGRES_URL=postgres://postgres@127.0.0.1:$PORT"
    ;;
  stop)
    [ -n "${2:-}" ] && [ -d "$2/data" ] && as_pg "$BIN/pg_ctl" -D "$2/data" -m fast -w stop >/dev/null || true
    [ -n "${2:-}" ] && rm -rf "$2"
    ;;
  *) echo "usage: $0 start | stop DIR" >&2; exit 2 ;;
esac
