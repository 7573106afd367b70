#!/usr/bin/env bash
# The benchmark suite in one command: installs what is missing, builds a
# Release tree (build-bench/) with the benchmarks, runs every case against
# kpi-server, the bare gRPC server, the Python grpcio+numpy service and in
# process, then the micro-benchmarks, and writes docs/performance.md and
# build-bench/bench.json. About three minutes on two cores, plus the build.
# Usage: scripts/bench.sh [--quick]   (--quick: a short trial run, written to
#                                      build-bench/performance-quick.md)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

bash scripts/install-deps.sh
echo "== build-bench: configure and build (Release)"
cmake -S . -B build-bench -G Ninja -DCMAKE_BUILD_TYPE=Release \
  -DKPI_BUILD_TESTS=OFF -DKPI_BUILD_BENCHMARKS=ON >/dev/null
cmake --build build-bench --target kpi_bench_all -j "$(nproc)"
echo "== run"
exec /usr/bin/python3 tests/bench/run_bench.py --build-dir build-bench \
  --md docs/performance.md --json build-bench/bench.json "$@"
