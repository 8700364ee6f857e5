#!/usr/bin/env bash
# `scripts/bench.sh ssr`: server-side rendering under load, beside nginx serving the same bytes.
#
# The production build (`cargo leptos build --release`, the server-release profile) serves the
# demo data from a fresh SQLite file. The script saves what it renders for a consultation page and
# for /consultations, and nginx serves those files from disk on another port. wrk then loads each
# with 1 and with 50 connections for BENCH_SECONDS (10 s), app and nginx one after the other on
# the same cores, and prints requests per second, the median and p99, and the app's share of
# nginx's throughput: as a visitor without a cookie gets the page (from memory for up to two
# seconds after a render, see app/src/server/page_cache.rs), and rendered for each request. Installs nginx and wrk from Debian when they are missing.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
seconds="${BENCH_SECONDS:-10}"
app_port="${BENCH_APP_PORT:-3400}"
nginx_port="${BENCH_NGINX_PORT:-3401}"

for tool in nginx wrk; do
  if ! command -v "$tool" >/dev/null && [ ! -x "/usr/sbin/$tool" ]; then
    echo "[bench] installing $tool" >&2
    sudo_=""; [ "$(id -u)" = 0 ] || sudo_=sudo
    DEBIAN_FRONTEND=noninteractive $sudo_ apt-get install -y --no-install-recommends "$tool" >/dev/null
  fi
done
nginx_bin=$(command -v nginx || echo /usr/sbin/nginx)

if [ "${BENCH_SKIP_BUILD:-0}" != 1 ]; then
  echo "[bench] building the production server (cargo leptos build --release --precompress --split)" >&2
  cargo leptos build --release --precompress --split >&2
fi

work=$(mktemp -d /tmp/mobilise-bench-ssr.XXXXXX)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$work"; }
trap cleanup EXIT

DATABASE_URL="sqlite://$work/bench.db?mode=rwc" MOBILISE_DEMO=1 MOBILISE_LOG=warn \
  LEPTOS_SITE_ROOT=target/site LEPTOS_SITE_ADDR="127.0.0.1:$app_port" \
  ./target/server-release/server >"$work/server.log" 2>&1 &
pids+=($!)
for _ in $(seq 1 100); do curl -fs "http://127.0.0.1:$app_port/readyz" >/dev/null && break; sleep 0.2; done

app="http://127.0.0.1:$app_port"
list=/consultations
page=$(curl -fs "$app$list" | grep -Eo 'href="/consultations/[0-9a-f-]{36}"' | head -1 | cut -d'"' -f2)
[ -n "$page" ] || { echo "[bench] no consultation found on $list" >&2; exit 1; }

# nginx serves exactly the bytes the app rendered.
mkdir -p "$work/html" "$work/nginx"
curl -fs "$app$list" -o "$work/html/list.html"
curl -fs "$app$page" -o "$work/html/page.html"
# nginx's workers may run as another user (www-data, when started by root).
chmod 755 "$work" "$work/html"; chmod 644 "$work"/html/*.html
cat >"$work/nginx/nginx.conf" <<EOF
worker_processes auto;
pid $work/nginx/nginx.pid;
error_log $work/nginx/error.log warn;
daemon off;
events { worker_connections 1024; }
http {
  access_log off;
  client_body_temp_path $work/nginx; proxy_temp_path $work/nginx; fastcgi_temp_path $work/nginx;
  uwsgi_temp_path $work/nginx; scgi_temp_path $work/nginx;
  default_type text/html;
  server {
    listen 127.0.0.1:$nginx_port;
    location = $list { alias $work/html/list.html; }
    location = $page { alias $work/html/page.html; }
  }
}
EOF
"$nginx_bin" -c "$work/nginx/nginx.conf" &
pids+=($!)
for _ in $(seq 1 50); do curl -fs "http://127.0.0.1:$nginx_port$list" >/dev/null && break; sleep 0.1; done
if ! cmp -s <(curl -fs "http://127.0.0.1:$nginx_port$page") "$work/html/page.html"; then
  echo "[bench] nginx does not serve the page $page:" >&2
  curl -s "http://127.0.0.1:$nginx_port$page" | head -c 300 >&2
  cat "$work/nginx/error.log" >&2
  exit 1
fi

# Prints "req/s median p99" for one wrk run; any further arguments go to wrk (a header).
load() {
  local url=$1 conns=$2 out
  shift 2
  out=$(wrk -t"$(( conns < 2 ? 1 : 2 ))" -c"$conns" -d"${seconds}s" --latency "$@" "$url")
  if echo "$out" | grep -q 'Non-2xx'; then echo "[bench] $url answered errors:" >&2; echo "$out" >&2; exit 1; fi
  local rps p50 p99
  rps=$(echo "$out" | awk '/Requests\/sec/ { print $2 }')
  p50=$(echo "$out" | awk '$1 == "50%" { print $2 }')
  p99=$(echo "$out" | awk '$1 == "99%" { print $2 }')
  echo "$rps $p50 $p99"
}

printf '\nServer-side rendering, %s s per run, wrk on the same 2 cores (%s bytes page, %s bytes list)\n' \
  "$seconds" "$(wc -c <"$work/html/page.html")" "$(wc -c <"$work/html/list.html")"
printf '%-36s %5s %12s %10s %10s %12s %10s %10s\n' "" conns "app req/s" median p99 "nginx req/s" p99 share
# Visitors without a cookie share a page for a moment (app::server::page_cache); a request that
# carries any cookie (here one the app ignores) is rendered every time, as for anyone signed in.
for what in "a consultation page:$page" "/consultations:$list"; do
  name=${what%%:*}; path=${what#*:}
  for run in "1:" "50:" "1:rendered" "50:rendered"; do
    conns=${run%%:*}; how=${run#*:}
    extra=(); label=$name
    if [ "$how" = rendered ]; then extra=(-H "Cookie: bench=1"); label="$name, rendered"; fi
    read -r a_rps a_p50 a_p99 < <(load "$app$path" "$conns" "${extra[@]}")
    read -r n_rps _ n_p99 < <(load "http://127.0.0.1:$nginx_port$path" "$conns")
    share=$(awk -v a="$a_rps" -v n="$n_rps" 'BEGIN { printf "%.3f", a / n }')
    printf '%-36s %5s %12s %10s %10s %12s %10s %10s\n' "$label" "$conns" "$a_rps" "$a_p50" "$a_p99" "$n_rps" "$n_p99" "${share}x"
  done
done
printf '\nTargets (issue 17): at 50 connections, app >= 0.15x nginx and p99 <= 50 ms.\n'
