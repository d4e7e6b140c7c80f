#!/usr/bin/env bash
# Installs the load generators bench/compare.py compares surge with. Not part of `make test`: only the benchmark
# (`make bench`) needs them. Idempotent; touches nothing when everything is present.
#   Debian: wrk, h2load (nghttp2-client), ab (apache2-utils), hey, nginx (the target), linux-perf (profiles),
#           gcc and liburing-dev (bench/floor: the floor clients, epoll and io_uring)
#   npm:    autocannon, pinned in bench/peers/package.json, installed into bench/peers/node_modules
set -euo pipefail
cd "$(dirname "$0")"

packages=(wrk nghttp2-client apache2-utils hey nginx-light linux-perf time gcc liburing-dev nodejs npm)
command -v npm >/dev/null 2>&1 && packages=("${packages[@]/nodejs}") && packages=("${packages[@]/npm}")
missing=()
for p in "${packages[@]}"; do
  [ -n "$p" ] || continue
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "install-peers: Debian peers present"
else
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  echo "install-peers: installing ${missing[*]}"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

# autocannon lives in a folder of the benchmark's own, so tests/node (what the test suite installs) stays lean.
if ! cmp -s peers/package-lock.json peers/node_modules/.installed-lock.json 2>/dev/null; then
  echo "install-peers: npm ci in bench/peers"
  if [ -f peers/package-lock.json ]; then
    npm ci --prefix peers --no-audit --no-fund --loglevel=error
  else
    npm install --prefix peers --no-audit --no-fund --loglevel=error
  fi
  cp peers/package-lock.json peers/node_modules/.installed-lock.json
fi
echo "install-peers: autocannon $(node -p "require('./peers/node_modules/autocannon/package.json').version")"
