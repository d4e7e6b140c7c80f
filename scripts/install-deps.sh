#!/usr/bin/env bash
# Installs what surge needs to build and test on Debian 12: idempotent, non-interactive.
# When every package is already present it touches nothing (no apt-get update).
set -euo pipefail

packages=(
  build-essential cmake ninja-build pkg-config ccache
  libyaml-cpp-dev nlohmann-json3-dev libcli11-dev libfmt-dev libssl-dev zlib1g-dev
  libgtest-dev libgmock-dev libbenchmark-dev
  libwslay-dev libpcre2-dev libnghttp2-dev nghttp2-client
  nginx-light wrk curl python3 time
  prometheus chromium
  clang libclang-rt-14-dev llvm
  python3-yaml python3-jsonschema
)
# python3-yaml and python3-jsonschema check the Kubernetes manifests of deploy/k8s (tests/deploy): Debian's
# kubectl (kubernetes-client 1.20) cannot dry-run offline and predates Indexed Jobs.
# clang, its compiler-rt (libFuzzer, ASan and UBSan runtimes) and llvm (llvm-symbolizer, for readable
# sanitizer stacks) build and run the fuzz targets of tests/fuzz (`make fuzz`, docs/development.md).
# Node.js runs the npm packages some tests need (tests/node). A machine may already have it from another
# source (NodeSource's nodejs bundles npm and conflicts with Debian's npm), so only a missing one is installed.
command -v npm >/dev/null 2>&1 || packages+=(nodejs npm)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all ${#packages[@]} packages present"
else
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  echo "install-deps: installing ${missing[*]}"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

# npm packages the tests drive (tests/node/package.json), installed from the lockfile; skipped when the
# installed tree already matches it. puppeteer-core never downloads a browser: tests use /usr/bin/chromium.
node_dir="$(dirname "$0")/../tests/node"
if ! cmp -s "$node_dir/package-lock.json" "$node_dir/node_modules/.installed-lock.json" 2>/dev/null; then
  echo "install-deps: npm ci in tests/node"
  npm ci --prefix "$node_dir" --no-audit --no-fund --loglevel=error
  cp "$node_dir/package-lock.json" "$node_dir/node_modules/.installed-lock.json"
fi
