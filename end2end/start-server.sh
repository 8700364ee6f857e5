#!/usr/bin/env bash
# Started by Playwright: the release server on a fresh SQLite database with the demo accounts.
set -euo pipefail
data=$(mktemp -d /tmp/mobilise-e2e.XXXXXX)
export DATABASE_URL="sqlite://$data/e2e.db?mode=rwc"
export MOBILISE_DEMO=1
export LEPTOS_SITE_ROOT=target/site
export LEPTOS_SITE_ADDR="127.0.0.1:${MOBILISE_E2E_PORT:-3100}"
export MOBILISE_LOG="${MOBILISE_LOG:-warn}"
exec ./target/server-release/server
