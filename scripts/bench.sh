#!/usr/bin/env bash
# Benchmarks (not tests): sync ingest through the real server vs a raw SQLite insert, and
# volunteer matching over 10,000 opportunities, and the intelligence dashboard over a million
# generated conversations (PostgreSQL too when MOBILISE_TEST_POSTGRES_URL is set, for example
# after `eval "$(scripts/postgres.sh start)"`), and sending 1,000 consultation invitations through a
# loopback SMTP server. `scripts/bench.sh matching` runs only that one.
set -euo pipefail
cd "$(dirname "$0")/.."
run() { cargo run --quiet --profile server-release -p bench --bin "$1"; }
case "${1:-all}" in
  sync-ingest) run sync-ingest ;;
  matching) run matching ;;
  intelligence) run intelligence ;;
  invitations) run invitations ;;
  all) run sync-ingest; echo; run matching; echo; run intelligence; echo; run invitations ;;
  *) echo "usage: $0 [all | sync-ingest | matching | intelligence | invitations]" >&2; exit 2 ;;
esac
