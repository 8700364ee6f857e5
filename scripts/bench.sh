#!/usr/bin/env bash
# Benchmarks (not tests): sync ingest through the real server vs a raw SQLite insert, and
# volunteer matching over 10,000 opportunities, and the intelligence dashboard over a million
# generated conversations (PostgreSQL too when MOBILISE_TEST_POSTGRES_URL is set, for example
# after `eval "$(scripts/postgres.sh start)"`), and sending 1,000 consultation invitations through a
# loopback SMTP server. `scripts/bench.sh matching` runs only that one.
# On the release build (built here): `ssr` (pages under load beside nginx, scripts/bench-ssr.sh),
# `size` (the code a first visit downloads) and `field` (a first visit and an offline cold start
# with the CPU slowed 4x, in Chromium), and `load` (50 tablets syncing at once beside 50 residents,
# over SQLite and PostgreSQL with one instance and two: bench/src/load.rs); those four are not
# part of `all`. `soak` (the sync fault test for 10,000 rounds with a PostgreSQL restart and a
# full disk) and `hostile` (100,000 generated hostile requests per backend) run test code at sizes
# too long for the suite; `restore` checks a backup (scripts/restore-check.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
# Benchmarks measure the production profile of Cargo.toml, unless BENCH_QUICK_SERVER=1 asks for
# the quicker-to-build server that the tests and the demo run use (scripts/test.sh, run.sh).
if [ "${BENCH_QUICK_SERVER:-0}" = 1 ]; then export CARGO_PROFILE_SERVER_RELEASE_LTO=off; else unset CARGO_PROFILE_SERVER_RELEASE_LTO; fi
run() { cargo run --quiet --profile server-release -p bench --bin "$1"; }
browser() {
  [ "${BENCH_SKIP_BUILD:-0}" = 1 ] || cargo leptos build --release --precompress --split >&2
  (cd end2end && npx playwright test -c bench.config.ts -g " $1: ")
}
case "${1:-all}" in
  sync-ingest) run sync-ingest ;;
  matching) run matching ;;
  intelligence) run intelligence ;;
  invitations) run invitations ;;
  ssr) bash scripts/bench-ssr.sh ;;
  load)
    # The release server as production runs it, and a private PostgreSQL unless one is given.
    [ "${BENCH_SKIP_BUILD:-0}" = 1 ] || cargo leptos build --release --precompress --split >&2
    if [ -z "${MOBILISE_TEST_POSTGRES_URL:-}" ]; then
      eval "$(scripts/postgres.sh start)"
      trap 'scripts/postgres.sh stop "$MOBILISE_PG_DIR"' EXIT
      export MOBILISE_TEST_POSTGRES_URL
    fi
    run load ;;
  soak)
    # The sync fault test as a soak: 10,000 rounds (BENCH_ROUNDS), adding the PostgreSQL server
    # restarted mid-batch and the SQLite disk filled up (a 64 MB tmpfs: needs root), reported
    # fault by fault.
    eval "$(scripts/postgres.sh start)"
    soak_disk=$(mktemp -d /tmp/mobilise-soak.XXXXXX)
    mount -t tmpfs -o size=64m tmpfs "$soak_disk" || { echo "soak: could not mount a tmpfs (run as root)" >&2; exit 1; }
    trap 'umount "$soak_disk"; rmdir "$soak_disk"; scripts/postgres.sh stop "$MOBILISE_PG_DIR"' EXIT
    export MOBILISE_TEST_POSTGRES_URL MOBILISE_PG_DIR
    MOBILISE_FAULT_ROUNDS="${BENCH_ROUNDS:-10000}" MOBILISE_SOAK_PG_RESTART=1 MOBILISE_SOAK_TMPFS="$soak_disk" \
      cargo test -p app --features ssr --test integration -- sync_faults --nocapture ;;
  restore)
    # A backup taken with pg_dump, restored into a fresh database and started on: the same rows.
    [ "${BENCH_SKIP_BUILD:-0}" = 1 ] || cargo leptos build --release --precompress --split >&2
    bash scripts/restore-check.sh ;;
  hostile)
    # The hostile-input property test at full size: 100,000 cases per backend (BENCH_CASES).
    eval "$(scripts/postgres.sh start)"
    trap 'scripts/postgres.sh stop "$MOBILISE_PG_DIR"' EXIT
    export MOBILISE_TEST_POSTGRES_URL
    MOBILISE_HOSTILE_CASES="${BENCH_CASES:-100000}" cargo test -p app --features ssr --test integration -- hostile --nocapture ;;
  size) browser size ;;
  field) browser field ;;
  all) run sync-ingest; echo; run matching; echo; run intelligence; echo; run invitations ;;
  *) echo "usage: $0 [all | sync-ingest | matching | intelligence | invitations | ssr | size | field | load | soak | hostile | restore]" >&2; exit 2 ;;
esac
