#!/usr/bin/env bash
# Runs every test: unit and integration tests per crate (SQLite, plus PostgreSQL when
# MOBILISE_TEST_POSTGRES=1), then the Playwright end-to-end suite in headless Chromium against
# a fresh release build. Installs whatever is missing first.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
source scripts/setup.sh
# The server for tests and the demo is built without link-time optimisation: much quicker to build
# on a fresh machine, a little slower to answer (README, "Building"). Production builds and the
# benchmarks keep Cargo.toml's server-release profile as it is.
export CARGO_PROFILE_SERVER_RELEASE_LTO=off

LOG=$(mktemp /tmp/mobilise-test.XXXXXX)
step() { printf '\n\033[1m[test] %s\033[0m\n' "$*"; }

if [ "${MOBILISE_TEST_POSTGRES:-0}" = 1 ]; then
  step "starting a private PostgreSQL on loopback"
  pg_env=$(scripts/postgres.sh start)  # fails the run if PostgreSQL cannot start
  eval "$pg_env"
  trap 'scripts/postgres.sh stop "$MOBILISE_PG_DIR"' EXIT
  export MOBILISE_TEST_POSTGRES_URL
fi

step "format (cargo fmt --check), the layers of app/src, and lints (clippy, per crate and feature set)"
cargo fmt --all --check
# No module cycles, nothing in server/ reaching the doors or pages, a pure domain, no file over
# 500 lines (tests aside).
python3 scripts/layers.py
# Never one build of app with ssr and hydrate merged: each feature set on its own.
cargo clippy -p app --features ssr --all-targets -- -D warnings
cargo clippy -p server --all-targets -- -D warnings
# The benchmarks are built here too, so that a change of the app's API cannot leave them broken.
cargo clippy -p bench --all-targets -- -D warnings
# The wasm side, through its entry crate.
cargo clippy -p frontend --target wasm32-unknown-unknown -- -D warnings

step "app: unit and integration tests (features ssr)"
# Built first so that the time limit below covers only the run. The suite takes well under a
# minute; if it ever stops making progress, fail with what PostgreSQL was waiting on rather
# than hang until CI gives up.
cargo test -p app --features ssr --no-run
# In parallel. They once ran one at a time because a page now and then never finished when two
# tests rendered at once: each test's router worked out the app's routes, and leptos holds back
# every resource's first load in the process while it does (leptos#4773). The routes are now
# worked out once per process (server::router). Each request in the suite has a 30 s limit that
# names it.
if ! timeout 900 cargo test -p app --features ssr -- --show-output 2>&1 | tee -a "$LOG"; then
  if [ "${MOBILISE_TEST_POSTGRES:-0}" = 1 ]; then
    psql "$MOBILISE_TEST_POSTGRES_URL/postgres" -c "SELECT datname, state, wait_event_type, wait_event, left(query, 120) AS query FROM pg_stat_activity WHERE datname LIKE 'mobilise_t%' AND state <> 'idle'" || true
  fi
  echo "app tests failed or timed out" >&2
  exit 1
fi
step "server"
cargo test -p server 2>&1 | tee -a "$LOG"

step "release build (cargo leptos build --release --precompress --split)"
cargo leptos build --release --precompress --split

if [ "${MOBILISE_TEST_POSTGRES:-0}" = 1 ]; then
  step "two instances of the release server on one PostgreSQL"
  MOBILISE_SERVER_BIN="$ROOT/target/server-release/server" \
    cargo test -p server --test instances -- --ignored --show-output 2>&1 | tee -a "$LOG"
  step "a backup restored: pg_dump, pg_restore into a fresh database, the server started on it, the same rows"
  MOBILISE_SERVER_BIN="$ROOT/target/server-release/server" bash scripts/restore-check.sh 2>&1 | tee -a "$LOG"
fi

step "end-to-end (Playwright, Debian Chromium)"
(cd end2end && npx playwright test) 2>&1 | tee -a "$LOG"

rust=$(grep -Eo 'test result: ok\. [0-9]+ passed' "$LOG" | awk '{ s += $4 } END { print s + 0 }')
e2e=$(grep -Eo '^ *[0-9]+ passed' "$LOG" | awk '{ s += $1 } END { print s + 0 }')
backends="SQLite"; [ "${MOBILISE_TEST_POSTGRES:-0}" = 1 ] && backends="SQLite and PostgreSQL"
printf '\nRust tests: %s passed on %s; end-to-end tests: %s passed\n' "$rust" "$backends" "$e2e"
grep -E '^restore check: ' "$LOG" || true
echo "total: $((rust + e2e)) passed, 0 failed"
rm -f "$LOG"
