# example_lib.sh -- what the out-of-tree example scripts (run_example.sh,
# run_client_example.sh) share; sourced, not run. It makes $work, a
# temporary directory removed on exit with the server start_server started,
# pass or fail, and defines:
#   fail MESSAGE...            prints FAIL: MESSAGE and exits 1
#   show FILE                  prints a log file indented, for context
#   install_component BUILD_DIR COMPONENT
#                              cmake --install of one component into
#                              $work/prefix (printed as $prefix)
#   start_server KPI_SERVER PLUGIN_DIR
#                              starts it on port 0 and sets $port from its
#                              "serving N metrics ... on port P" log line
#                              ($work/server.log)

work=$(mktemp -d "${TMPDIR:-/tmp}/kpi-example.XXXXXX")
prefix=$work/prefix
server_pid=
port=
cleanup() {
  if [[ -n $server_pid ]] && kill -0 "$server_pid" 2>/dev/null; then
    kill -TERM "$server_pid" 2>/dev/null || true
    for _ in $(seq 50); do
      kill -0 "$server_pid" 2>/dev/null || break
      sleep 0.1
    done
    kill -KILL "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT
fail() {
  echo "FAIL: $*" >&2
  exit 1
}
show() {
  sed 's/^/    /' "$1" >&2
}

install_component() {
  echo "== installing the $2 component from $1 into $prefix"
  cmake --install "$1" --component "$2" --prefix "$prefix" >"$work/install.log" 2>&1 ||
    { show "$work/install.log"; fail "cmake --install --component $2 failed"; }
}

start_server() {
  echo "== starting $1 --plugin-dir $2"
  "$1" --listen 127.0.0.1:0 --plugin-dir "$2" >"$work/server.log" 2>&1 &
  server_pid=$!
  for _ in $(seq 300); do
    port=$(sed -n 's/.*serving [0-9]* metrics .* on port \([0-9]*\).*/\1/p' "$work/server.log")
    [[ -n $port ]] && return 0
    kill -0 "$server_pid" 2>/dev/null || { show "$work/server.log"; fail "kpi-server exited"; }
    sleep 0.1
  done
  show "$work/server.log"
  fail "kpi-server did not report serving within 30 s"
}
