#!/usr/bin/env bash
# Runs every test: unit and integration tests per crate (SQLite, plus PostgreSQL when
# MOBILISE_TEST_POSTGRES=1), then the Playwright end-to-end suite in headless Chromium against
# a fresh release build. Installs whatever is missing first.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
source scripts/setup.sh

LOG=$(mktemp /tmp/mobilise-test.XXXXXX)
step() { printf '\n\033[1m[test] %s\033[0m\n' "$*"; }

if [ "${MOBILISE_TEST_POSTGRES:-0}" = 1 ]; then
  step "starting a private PostgreSQL on loopback"
  eval "$(scripts/postgres.sh start)"
  trap 'scripts/postgres.sh stop "$MOBILISE_PG_DIR"' EXIT
  export MOBILISE_TEST_POSTGRES_URL
fi

step "app: unit and integration tests (features ssr)"
cargo test -p app --features ssr -- --show-output 2>&1 | tee -a "$LOG"
step "server"
cargo test -p server 2>&1 | tee -a "$LOG"

step "release build (cargo leptos build --release --precompress)"
cargo leptos build --release --precompress

step "end-to-end (Playwright, Debian Chromium)"
(cd end2end && npx playwright test) 2>&1 | tee -a "$LOG"

rust=$(grep -Eo 'test result: ok\. [0-9]+ passed' "$LOG" | awk '{ s += $4 } END { print s + 0 }')
e2e=$(grep -Eo '^ *[0-9]+ passed' "$LOG" | awk '{ s += $1 } END { print s + 0 }')
backends="SQLite"; [ "${MOBILISE_TEST_POSTGRES:-0}" = 1 ] && backends="SQLite and PostgreSQL"
printf '\nRust tests: %s passed on %s; end-to-end tests: %s passed\n' "$rust" "$backends" "$e2e"
echo "total: $((rust + e2e)) passed, 0 failed"
rm -f "$LOG"
