#!/usr/bin/env bash
# For translators: what the language files hold.
#   scripts/translations.sh review [locale]   the strings marked "# review: …" (default: every locale)
#   scripts/translations.sh count             keys per locale
# The files are app/locales/<locale>.toml; the build checks that every language has every key.
set -euo pipefail
cd "$(dirname "$0")/../app/locales"
case "${1:-review}" in
  review)
    for f in ${2:+$2.toml} ${2:-*.toml}; do
      [ -f "$f" ] || continue
      awk -v file="$f" '
        /^\[.*\]$/ { section = substr($0, 2, length($0) - 2); pending = ""; next }
        /^# review all/ && section == "" { every = $0; sub(/^# review all:? ?/, "", every); if (every == "") every = "(the whole file)"; next }
        /^[a-z0-9_]+ = / && pending == "" && every != "" { print file ": " section "." $1 " — " every; next }
        /^# review/ { pending = $0; sub(/^# review:? ?/, "", pending); if (pending == "") pending = "(no reason given)"; next }
        /^[a-z0-9_]+ = / && pending != "" { key = $1; print file ": " section "." key " — " pending; pending = ""; next }
        /^$/ { pending = "" }
      ' "$f"
    done
    ;;
  count)
    for f in *.toml; do printf '%s: %s keys\n' "$f" "$(grep -cE '^[a-z0-9_]+ = ' "$f")"; done
    ;;
  *) echo "usage: $0 review [locale] | count" >&2; exit 2 ;;
esac
