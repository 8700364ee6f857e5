#!/usr/bin/env bash
# Installs whatever this machine is missing to build and test Mobilise, and skips what is there.
# Sourced by scripts/run.sh and scripts/test.sh (it exports PATH for the npm wasm-opt).
# Measured facts behind each step: ../shared/TOOLCHAIN.md.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TOOLS="$ROOT/.tools"
CARGO_LEPTOS_VERSION=0.3.10
BINARYEN_VERSION=132.0.0
AIOSMTPD_VERSION=1.4.6
say() { printf '\033[1m[setup]\033[0m %s\n' "$*"; }
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }
apt_updated=0
apt_install() {
  if [ "$apt_updated" = 0 ]; then as_root apt-get update -qq; apt_updated=1; fi
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq "$@" >/dev/null
}

export PATH="$HOME/.cargo/bin:$PATH"

if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  say "adding the wasm32 target"
  rustup target add wasm32-unknown-unknown
fi

# The format and lint gates in scripts/test.sh.
for component in rustfmt clippy; do
  if ! rustup component list --installed | grep -q "^$component"; then
    say "adding $component"
    rustup component add "$component"
  fi
done

if ! cargo leptos --version 2>/dev/null | grep -q "$CARGO_LEPTOS_VERSION"; then
  say "installing cargo-leptos $CARGO_LEPTOS_VERSION (about 15 minutes, once)"
  CARGO_PROFILE_RELEASE_LTO=false CARGO_PROFILE_RELEASE_CODEGEN_UNITS=16 \
    cargo install cargo-leptos --version "$CARGO_LEPTOS_VERSION" --locked
fi

# The wasm-bindgen CLI must be exactly the version of the crate in Cargo.lock.
WB_VERSION=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/[^0-9.]/, ""); print; exit }' "$ROOT/Cargo.lock")
if ! wasm-bindgen --version 2>/dev/null | grep -qx "wasm-bindgen $WB_VERSION"; then
  say "installing wasm-bindgen-cli $WB_VERSION"
  cargo install wasm-bindgen-cli --version "$WB_VERSION"   # not --locked: see TOOLCHAIN.md
fi

# wasm-opt from npm's binaryen: Debian's binaryen 108 produces wasm that breaks hydration.
if [ ! -x "$TOOLS/binaryen/node_modules/.bin/wasm-opt" ]; then
  say "installing wasm-opt (npm binaryen@$BINARYEN_VERSION)"
  mkdir -p "$TOOLS/binaryen"
  npm install --silent --no-audit --no-fund --prefix "$TOOLS/binaryen" "binaryen@$BINARYEN_VERSION" >/dev/null
fi
export PATH="$TOOLS/binaryen/node_modules/.bin:$PATH"

if [ "${MOBILISE_SKIP_BROWSER:-0}" != 1 ]; then
  if [ ! -x /usr/bin/chromium ]; then
    say "installing Debian's chromium"
    apt_install chromium chromium-driver
  fi
  if [ ! -d "$ROOT/end2end/node_modules/@playwright/test" ] || [ "$ROOT/end2end/package-lock.json" -nt "$ROOT/end2end/node_modules/.package-lock.json" ]; then
    say "installing the end-to-end test packages"
    (cd "$ROOT/end2end" && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --silent --no-audit --no-fund)
  fi
  # The end-to-end suite's mail server: a real SMTP server on loopback (aiosmtpd, from PyPI)
  # that keeps what it receives in a Maildir the tests read.
  if ! PYTHONPATH="$TOOLS/aiosmtpd" python3 -c "import aiosmtpd, sys; sys.exit(aiosmtpd.__version__ != '$AIOSMTPD_VERSION')" 2>/dev/null; then
    say "installing aiosmtpd $AIOSMTPD_VERSION (the end-to-end tests' mail server)"
    python3 -m pip install --quiet --disable-pip-version-check --root-user-action=ignore --upgrade --target "$TOOLS/aiosmtpd" "aiosmtpd==$AIOSMTPD_VERSION"
  fi
fi

if [ "${MOBILISE_TEST_POSTGRES:-0}" = 1 ] && ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
  say "installing PostgreSQL"
  apt_install postgresql
fi
# The backup restore check (scripts/restore-check.sh) asks the release server with curl.
if [ "${MOBILISE_TEST_POSTGRES:-0}" = 1 ] && ! command -v curl >/dev/null; then
  apt_install curl
fi
