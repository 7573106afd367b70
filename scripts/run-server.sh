#!/usr/bin/env bash
# Installs what is missing, builds, and starts kpi-server on 127.0.0.1:50051
# with every bundled plugin. Extra arguments go to kpi-server (see --help).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

bash scripts/install-deps.sh
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build -j "$(nproc)" --target kpi-server kpi
exec build/bin/kpi-server "$@"
