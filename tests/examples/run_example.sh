#!/usr/bin/env bash
# run_example.sh -- builds an out-of-tree example plugin against the INSTALLED
# plugin SDK, loads it into a real kpi-server and checks one computed value.
#
#   run_example.sh BUILD_DIR EXAMPLE_SOURCE_DIR KPI_SERVER KPI \
#                  EXPECTED_OUTPUT_LINE METRIC [NAME=VALUE ...]
#
# 1. cmake --install BUILD_DIR --component sdk into a temporary prefix;
# 2. configures and builds EXAMPLE_SOURCE_DIR with CMAKE_PREFIX_PATH set to
#    that prefix only (the example cannot see the source tree);
# 3. starts KPI_SERVER --plugin-dir <example build dir> on port 0, reads the
#    port from its "serving N metrics ... on port P" log line;
# 4. runs KPI --server 127.0.0.1:P compute METRIC NAME=VALUE... and requires
#    EXPECTED_OUTPUT_LINE to be a line of its output.
# The server and the temporary directory are removed on exit, pass or fail.
set -euo pipefail

if [[ $# -lt 6 ]]; then
  echo "usage: $0 BUILD_DIR EXAMPLE_DIR KPI_SERVER KPI EXPECTED_LINE METRIC [NAME=VALUE ...]" >&2
  exit 2
fi
build_dir=$1 example_dir=$2 kpi_server=$3 kpi=$4 expected=$5 metric=$6
shift 6

# shellcheck source=example_lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/example_lib.sh"

install_component "$build_dir" sdk
[[ -f $prefix/lib/cmake/KpiPluginSdk/KpiPluginSdkConfig.cmake ]] ||
  fail "the SDK install has no lib/cmake/KpiPluginSdk/KpiPluginSdkConfig.cmake"

plugin_dir=$work/build
echo "== building $example_dir against the installed SDK only"
# Only the temporary prefix: nothing from the environment points into the tree.
env -u CMAKE_PREFIX_PATH cmake -S "$example_dir" -B "$plugin_dir" \
  -DCMAKE_PREFIX_PATH="$prefix" -DCMAKE_FIND_USE_PACKAGE_REGISTRY=OFF \
  -DCMAKE_BUILD_TYPE=RelWithDebInfo >"$work/configure.log" 2>&1 ||
  { show "$work/configure.log"; fail "configuring the example against $prefix failed"; }
cmake --build "$plugin_dir" -j1 >"$work/build.log" 2>&1 ||
  { show "$work/build.log"; fail "building the example failed"; }
if grep -rq -- "$(cd "$build_dir" && pwd)\|/plugins/sdk/include" "$plugin_dir/CMakeCache.txt" \
    "$plugin_dir"/compile_commands.json 2>/dev/null; then
  fail "the example build refers to the kpi-service tree, not only the installed SDK"
fi
shopt -s nullglob
plugins=("$plugin_dir"/*.so)
[[ ${#plugins[@]} -eq 1 ]] || fail "expected one plugin .so in $plugin_dir, found ${#plugins[@]}"
exported=$(nm -D --defined-only "${plugins[0]}" | awk '{print $3}')
[[ $exported == kpi_plugin_entry ]] ||
  fail "the plugin must export only kpi_plugin_entry; it exports: $exported"

start_server "$kpi_server" "$plugin_dir"
show "$work/server.log"
grep -q "serving 1 metrics from 1 plugins" "$work/server.log" ||
  fail "kpi-server did not load exactly the example plugin (see its log above)"

echo "== kpi compute $metric $*"
"$kpi" --server "127.0.0.1:$port" compute "$metric" "$@" >"$work/out.txt" 2>&1 ||
  { show "$work/out.txt"; fail "kpi compute $metric failed"; }
show "$work/out.txt"
grep -qxF -- "$expected" "$work/out.txt" ||
  fail "expected the line '$expected' in the output above"
echo "PASS: $metric from $(basename "${plugins[0]}") = '$expected'"
