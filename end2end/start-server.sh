#!/usr/bin/env bash
# Started by Playwright: the release server on a fresh SQLite database with the demo accounts,
# sending its mail to a real SMTP server on loopback (aiosmtpd) that keeps each message in a
# Maildir, MOBILISE_E2E_MAIL, where the stories read them.
set -euo pipefail
data=$(mktemp -d /tmp/mobilise-e2e.XXXXXX)
mail="${MOBILISE_E2E_MAIL:-$data/mail}"
smtp_port="${MOBILISE_E2E_SMTP_PORT:-3125}"
rm -rf "$mail"
mkdir -p "$mail"/tmp "$mail"/new "$mail"/cur  # a Maildir; aiosmtpd makes one only where nothing exists
PYTHONPATH=.tools/aiosmtpd python3 -m aiosmtpd -n -l "127.0.0.1:$smtp_port" -c aiosmtpd.handlers.Mailbox "$mail" &
smtp=$!
trap 'kill $smtp 2>/dev/null || true' EXIT
for _ in $(seq 1 50); do
  (exec 3<>"/dev/tcp/127.0.0.1/$smtp_port") 2>/dev/null && break
  sleep 0.1
done
export DATABASE_URL="sqlite://$data/e2e.db?mode=rwc"
export MOBILISE_DEMO=1
export MOBILISE_SMTP_URL="smtp://127.0.0.1:$smtp_port"
export MOBILISE_MAIL_FROM="Riverside Borough Council <no-reply@riverside.example>"
export LEPTOS_SITE_ROOT=target/site
export LEPTOS_SITE_ADDR="127.0.0.1:${MOBILISE_E2E_PORT:-3100}"
export MOBILISE_LOG="${MOBILISE_LOG:-warn}"
./target/server-release/server &
server=$!
trap 'kill $server $smtp 2>/dev/null || true' EXIT TERM INT
wait $server
