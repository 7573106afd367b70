#!/usr/bin/env bash
# Installs everything kpi-service needs to build, run and test on Debian 12.
# Idempotent: packages already present are skipped, so a second run costs a
# few seconds. Needs root (or sudo) only when something is missing.
set -euo pipefail

debian_packages=(
  build-essential cmake ninja-build pkg-config git
  libgrpc++-dev protobuf-compiler-grpc libprotobuf-dev protobuf-compiler
  grpc-proto libabsl-dev
  libboost-dev libboost-filesystem-dev libssl-dev openssl
  googletest libgtest-dev libgmock-dev libbenchmark-dev
  clang-format nghttp2-client
  prometheus
  # clang and its libFuzzer runtime: the fuzz targets (scripts/fuzz.sh)
  clang libclang-rt-14-dev
  python3-grpcio python3-numpy python3-protobuf
  # the Python client's tests (clients/python)
  python3-pytest python3-pandas
  # kpi-report: CSV parsing (libcsv) and its TOML report specs (toml++)
  libcsv-dev libtomlplusplus-dev
  # the predictive plugin's maximum-likelihood fits (NLopt's L-BFGS), and
  # the scipy fit its benchmark compares with (tests/bench/bgnbd_scipy.py)
  libnlopt-dev python3-scipy
  # kpi-report's tests render report.html in headless Chromium (its
  # benchmark's pandas script needs python3-pandas, above)
  chromium
)

missing=()
for pkg in "${debian_packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$pkg")
  fi
done

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

# Node.js may come from Debian (nodejs + npm) or from NodeSource (nodejs with
# npm inside); only ask apt for it when there is no npm at all.
command -v npm >/dev/null 2>&1 || missing+=(nodejs npm)

if [ "${#missing[@]}" -gt 0 ]; then
  echo "install-deps: installing ${missing[*]}"
  # Another apt run (a second checkout's build, unattended upgrades) holds
  # dpkg's lock for a while: wait for it rather than fail.
  wait_lock=(-o DPkg::Lock::Timeout=900)
  as_root apt-get "${wait_lock[@]}" update -qq
  DEBIAN_FRONTEND=noninteractive as_root apt-get "${wait_lock[@]}" install -y -qq --no-install-recommends "${missing[@]}"
fi

# buf (proto lint, reflection calls) comes from npm and is pinned in
# tools/package.json (npm install, not npm ci: npm 11 writes lock files
# without the other platforms' optional binaries, which npm ci then rejects).
# Installed into the checkout, never globally.
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
if [ ! -x "$here/tools/node_modules/.bin/buf" ]; then
  echo "install-deps: installing @bufbuild/buf from npm"
  (cd "$here/tools" && npm install --no-audit --no-fund --loglevel=error)
fi
# The Node.js client's dependencies (@grpc/grpc-js, @grpc/proto-loader;
# TypeScript for its type tests), pinned in clients/node/package.json.
if [ ! -x "$here/clients/node/node_modules/.bin/tsc" ]; then
  echo "install-deps: installing the Node.js client's packages from npm"
  (cd "$here/clients/node" && npm install --no-audit --no-fund --loglevel=error)
fi
