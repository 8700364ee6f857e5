#!/usr/bin/env bash
# Benchmarks (not tests): sync ingest through the real server vs a raw SQLite insert, and
# volunteer matching over 10,000 opportunities, and the intelligence dashboard over a million
# generated conversations (PostgreSQL too when MOBILISE_TEST_POSTGRES_URL is set, for example
# after `eval "$(scripts/postgres.sh start)"`), and sending 1,000 consultation invitations through a
# loopback SMTP server. `scripts/bench.sh matching` runs only that one.
# On the release build (built here): `ssr` (pages under load beside nginx, scripts/bench-ssr.sh),
# `size` (the code a first visit downloads) and `field` (a first visit and an offline cold start
# with the CPU slowed 4x, in Chromium); those three are not part of `all`.
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
  size) browser size ;;
  field) browser field ;;
  all) run sync-ingest; echo; run matching; echo; run intelligence; echo; run invitations ;;
  *) echo "usage: $0 [all | sync-ingest | matching | intelligence | invitations | ssr | size | field]" >&2; exit 2 ;;
esac
