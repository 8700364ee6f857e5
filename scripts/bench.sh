#!/usr/bin/env bash
# Benchmarks (not tests): sync ingest through the real server vs a raw SQLite insert.
set -euo pipefail
cd "$(dirname "$0")/.."
exec cargo run --quiet --profile server-release -p bench --bin sync-ingest
