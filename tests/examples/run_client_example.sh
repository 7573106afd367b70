#!/usr/bin/env bash
# run_client_example.sh -- builds the C++ client's example backend
# (clients/cpp/example) out of tree against the INSTALLED client package,
# runs it against a real kpi-server, and checks its output.
#
#   run_client_example.sh BUILD_DIR EXAMPLE_SOURCE_DIR KPI_SERVER PLUGIN_DIR \
#                         [CXX_FLAGS]
#
# CXX_FLAGS: compile and link flags for the example (a sanitized build's
# -fsanitize=..., since the installed libraries carry its instrumentation).
#
# 1. cmake --install BUILD_DIR --component client into a temporary prefix;
# 2. copies EXAMPLE_SOURCE_DIR away from the source tree and builds it with
#    CMAKE_PREFIX_PATH set to that prefix only (find_package(KpiClient));
# 3. starts KPI_SERVER --plugin-dir PLUGIN_DIR on port 0;
# 4. feeds the catalog's NPS example (50 tens, 30 eights, 20 threes) to the
#    example and requires NPS 30 with its interval.
# The server and the temporary directory are removed on exit, pass or fail.
set -euo pipefail

if [[ $# -lt 4 || $# -gt 5 ]]; then
  echo "usage: $0 BUILD_DIR EXAMPLE_DIR KPI_SERVER PLUGIN_DIR [CXX_FLAGS]" >&2
  exit 2
fi
build_dir=$1 example_dir=$2 kpi_server=$3 plugin_dir=$4 cxx_flags=${5:-}

# shellcheck source=example_lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/example_lib.sh"

install_component "$build_dir" client
[[ -f $prefix/include/kpi/client.h && -f $prefix/include/kpi/v1/metric_service.grpc.pb.h ]] ||
  fail "the installed package lacks kpi/client.h or kpi/v1's headers"

cp -r "$example_dir" "$work/src"
# Only the temporary prefix: nothing from the environment points into the tree.
env -u CMAKE_PREFIX_PATH cmake -S "$work/src" -B "$work/build" \
  -DCMAKE_BUILD_TYPE=Release -DCMAKE_PREFIX_PATH="$prefix" \
  -DCMAKE_FIND_USE_PACKAGE_REGISTRY=OFF -DCMAKE_CXX_FLAGS="$cxx_flags" \
  -DCMAKE_EXE_LINKER_FLAGS="$cxx_flags" >"$work/configure.log" 2>&1 ||
  { show "$work/configure.log"; fail "configuring the example against $prefix failed"; }
cmake --build "$work/build" -j2 >"$work/build.log" 2>&1 ||
  { show "$work/build.log"; fail "building the example failed"; }

start_server "$kpi_server" "$plugin_dir"

for _ in $(seq 50); do echo 10; done >"$work/scores.txt"
for _ in $(seq 30); do echo 8; done >>"$work/scores.txt"
for _ in $(seq 20); do echo 3; done >>"$work/scores.txt"
output=$("$work/build/survey_report" "127.0.0.1:$port" <"$work/scores.txt" 2>&1) ||
  fail "survey_report failed: $output"
expected="nps = 30 (95% interval 14.6922 to 45.3078) over 100 answers"
[[ $output == "$expected" ]] || fail "expected '$expected', got '$output'"
echo "PASS: $output"
