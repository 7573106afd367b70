#!/usr/bin/env bash
# Installs what is missing, builds, and runs every test twice: a normal build
# (build/) and one under AddressSanitizer + UndefinedBehaviorSanitizer
# (build-asan/), so memory errors are caught as they are written. Then the
# concurrency suite (calls, plugin worker crashes and reloads at once) under
# ThreadSanitizer (build-tsan/, building only what that suite needs).
# Usage: scripts/test.sh [extra ctest args, e.g. -R nps]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

bash scripts/install-deps.sh
jobs="$(nproc)"

run_suite() {
  local dir="$1"; shift
  echo "== ${dir}: configure and build"
  cmake -S . -B "$dir" -G Ninja "$@" >/dev/null
  cmake --build "$dir" -j "$jobs"
  echo "== ${dir}: test"
  ctest --test-dir "$dir" --output-on-failure -j "$jobs" --timeout 300 "${ctest_args[@]}"
}

ctest_args=("$@")
# The normal build compiles the benchmark programs too (not run here), so an
# API change cannot leave scripts/bench.sh broken unnoticed.
run_suite build -DCMAKE_BUILD_TYPE=RelWithDebInfo -DKPI_BUILD_BENCHMARKS=ON
# ASan needs the sanitizer runtime loaded before any plugin; detect_leaks
# stays on, and UBSan findings are fatal (-fno-sanitize-recover).
# The soak runs half as long there: it is the sanitizers' look at a mixed
# load, the normal build's run is the one that checks memory stays flat.
ASAN_OPTIONS="detect_leaks=1:abort_on_error=0" \
UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1" \
KPI_SOAK_SECONDS="${KPI_SOAK_SECONDS:-30}" \
  run_suite build-asan -DCMAKE_BUILD_TYPE=Debug -DKPI_SANITIZE=ON

# ThreadSanitizer: the host's concurrency suite only (no gRPC in it: Debian's
# gRPC is not instrumented, so its internal locking would read as races).
if [[ ${#ctest_args[@]} -eq 0 ]]; then
  echo "== build-tsan: configure and build the concurrency suite"
  cmake -S . -B build-tsan -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DKPI_TSAN=ON >/dev/null
  cmake --build build-tsan -j "$jobs" --target kpi_worker_concurrency_test
  echo "== build-tsan: test"
  TSAN_OPTIONS="halt_on_error=1:second_deadlock_stack=1" \
    ctest --test-dir build-tsan --output-on-failure --timeout 300 -R WorkerConcurrencyTest
fi
