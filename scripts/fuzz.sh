#!/usr/bin/env bash
# Builds the libFuzzer targets (tests/fuzz) in build-fuzz/ with clang, under
# AddressSanitizer + UndefinedBehaviorSanitizer, and runs each for a bounded
# time: first over its committed corpus (tests/fuzz/corpus/TARGET, every
# seed and every committed crash input), then exploring. New inputs go to
# build-fuzz/corpus/TARGET, crash inputs to build-fuzz/crashes/, each
# target's output to build-fuzz/fuzz-logs/TARGET.log. Exits non-zero on the
# first crash, naming the input that reproduces it.
#
# Usage: scripts/fuzz.sh [-t SECONDS] [TARGET...]
#   -t SECONDS  per target (default 10: the bounded run)
#   TARGET      compute_request compute_stream typed_request group_by
#               profiles plugin_update isolation_parity (default: all)
# Extra libFuzzer flags come from KPI_FUZZ_FLAGS, e.g. KPI_FUZZ_FLAGS=-fork=2.
# docs/reliability.md says how to fuzz for hours and what to do with a crash.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

seconds=10
if [[ "${1:-}" == "-t" ]]; then
  seconds="$2"
  shift 2
fi
targets=("$@")
if [[ ${#targets[@]} -eq 0 ]]; then
  targets=(compute_request compute_stream typed_request group_by profiles
           plugin_update isolation_parity)
fi

echo "== build-fuzz: configure and build the fuzz targets (clang)"
cmake -S . -B build-fuzz -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DKPI_FUZZ=ON -DCMAKE_C_COMPILER=clang -DCMAKE_CXX_COMPILER=clang++ >/dev/null
cmake --build build-fuzz -j "$(nproc)" --target kpi_fuzz

mkdir -p build-fuzz/crashes build-fuzz/fuzz-logs
# halt_on_error: the first report is the finding; detect_leaks: a leak on
# a refused request is a finding too.
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1:halt_on_error=1}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"
read -r -a extra <<<"${KPI_FUZZ_FLAGS:-}"
for target in "${targets[@]}"; do
  binary="build-fuzz/fuzz/fuzz_${target}"
  seeds="tests/fuzz/corpus/${target}"
  work="build-fuzz/corpus/${target}"
  log="build-fuzz/fuzz-logs/${target}.log"
  [[ -x "$binary" && -d "$seeds" ]] || { echo "no fuzz target '$target'" >&2; exit 2; }
  mkdir -p "$work"
  echo "== fuzz ${target}: ${seconds}s over ${seeds}"
  if ! "$binary" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
      -print_final_stats=1 -artifact_prefix="build-fuzz/crashes/${target}-" \
      "${extra[@]}" "$work" "$seeds" >"$log" 2>&1; then
    grep -v -E '^(#[0-9]|INFO:|\s+NEW_FUNC)' "$log" | tail -n 60 >&2
    echo "fuzz ${target}: FAILED (full output: ${log}); reproduce with" >&2
    echo "  ${binary} $(grep -o 'build-fuzz/crashes/[^ ]*' "$log" | tail -n 1)" >&2
    exit 1
  fi
  grep -E '^stat::number_of_executed_units|^Done' "$log" | tail -n 1
done
