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

work=$(mktemp -d "${TMPDIR:-/tmp}/kpi-client-example.XXXXXX")
server_pid=
cleanup() {
  if [[ -n $server_pid ]]; then
    kill -TERM "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT
fail() {
  echo "FAIL: $1" >&2
  [[ $# -gt 1 ]] && sed 's/^/    /' "$2" >&2
  exit 1
}

prefix=$work/prefix
cmake --install "$build_dir" --component client --prefix "$prefix" \
  >"$work/install.log" 2>&1 || fail "cmake --install --component client" "$work/install.log"
[[ -f $prefix/include/kpi/client.h && -f $prefix/include/kpi/v1/metric_service.grpc.pb.h ]] ||
  fail "the installed package lacks kpi/client.h or kpi/v1's headers"

cp -r "$example_dir" "$work/src"
cmake -S "$work/src" -B "$work/build" -DCMAKE_BUILD_TYPE=Release \
  -DCMAKE_PREFIX_PATH="$prefix" -DCMAKE_CXX_FLAGS="$cxx_flags" \
  -DCMAKE_EXE_LINKER_FLAGS="$cxx_flags" >"$work/configure.log" 2>&1 ||
  fail "configuring the example against the installed package" "$work/configure.log"
cmake --build "$work/build" -j2 >"$work/build.log" 2>&1 ||
  fail "building the example" "$work/build.log"

"$kpi_server" --listen 127.0.0.1:0 --plugin-dir "$plugin_dir" 2>"$work/server.log" &
server_pid=$!
port=
for _ in $(seq 300); do
  port=$(sed -n 's/.*serving .* on port \([0-9]*\).*/\1/p' "$work/server.log" | head -1)
  [[ -n $port ]] && break
  kill -0 "$server_pid" 2>/dev/null || fail "kpi-server exited" "$work/server.log"
  sleep 0.1
done
[[ -n $port ]] || fail "kpi-server did not start" "$work/server.log"

for _ in $(seq 50); do echo 10; done >"$work/scores.txt"
for _ in $(seq 30); do echo 8; done >>"$work/scores.txt"
for _ in $(seq 20); do echo 3; done >>"$work/scores.txt"
output=$("$work/build/survey_report" "127.0.0.1:$port" <"$work/scores.txt" 2>&1) ||
  fail "survey_report failed: $output"
expected="nps = 30 (95% interval 14.6922 to 45.3078) over 100 answers"
[[ $output == "$expected" ]] || fail "expected \"$expected\", got \"$output\""
echo "PASS: $output"
