#!/usr/bin/env bash
# Builds Mobilise (release) and serves it on http://127.0.0.1:3000 with SQLite and demo data.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
MOBILISE_SKIP_BROWSER=1 source scripts/setup.sh
# The server for tests and the demo is built without link-time optimisation: much quicker to build
# on a fresh machine, a little slower to answer (README, "Building"). Production builds and the
# benchmarks keep Cargo.toml's server-release profile as it is.
export CARGO_PROFILE_SERVER_RELEASE_LTO=off

export MOBILISE_DEMO="${MOBILISE_DEMO:-1}"
export DATABASE_URL="${DATABASE_URL:-sqlite://data/mobilise.db?mode=rwc}"
export LEPTOS_SITE_ADDR="${LEPTOS_SITE_ADDR:-127.0.0.1:3000}"
echo "[run] building and starting Mobilise on http://$LEPTOS_SITE_ADDR (Ctrl-C stops it)"
exec cargo leptos serve --release --precompress --split
