#!/usr/bin/env bash
# One command from nothing to a report: installs what is missing, builds,
# generates a kpi-sample data set, starts kpi-server when none answers on the
# address (and stops it again at the end), and writes the report with the
# built-in spec (docs/reports.md).
#
# Usage: scripts/report-demo.sh [--customers N] [--out DIR] [--server HOST:PORT]
#   --customers N   customers in the sample (default 10000)
#   --out DIR       where data/ and report/ go (default kpi-report-demo)
#   --server ADDR   the server to use or start (default $KPI_SERVER, else
#                   127.0.0.1:50051)
# Environment: KPI_BUILD_DIR (default build); KPI_SKIP_INSTALL=1 skips
# scripts/install-deps.sh and KPI_SKIP_BUILD=1 the build (the tests run it on
# a tree they have built).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

customers=10000
out=kpi-report-demo
server="${KPI_SERVER:-127.0.0.1:50051}"
while [ $# -gt 0 ]; do
  case "$1" in
    --customers) customers="$2"; shift 2 ;;
    --out) out="$2"; shift 2 ;;
    --server) server="$2"; shift 2 ;;
    -h|--help) sed -n '2,14p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "report-demo: unknown option '$1' (--help lists them)" >&2; exit 2 ;;
  esac
done
build="${KPI_BUILD_DIR:-$root/build}"

if [ "${KPI_SKIP_INSTALL:-0}" != 1 ]; then
  bash "$root/scripts/install-deps.sh"
fi
if [ "${KPI_SKIP_BUILD:-0}" != 1 ]; then
  if [ ! -f "$build/build.ninja" ]; then
    cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
  fi
  cmake --build "$build" --target kpi-server kpi-sample kpi-report >/dev/null
fi

# Whether something accepts connections on $server (HOST:PORT).
answers() {
  (exec 3<>"/dev/tcp/${server%:*}/${server##*:}") 2>/dev/null
}

started=""
stop_server() {
  if [ -n "$started" ]; then
    kill "$started" 2>/dev/null || true
    wait "$started" 2>/dev/null || true
  fi
}
trap stop_server EXIT

if answers; then
  echo "report-demo: using the server on $server"
else
  echo "report-demo: no server on $server; starting kpi-server (log: $out/kpi-server.log)"
  mkdir -p "$out"
  "$build/bin/kpi-server" --listen "$server" 2>"$out/kpi-server.log" &
  started=$!
  for _ in $(seq 1 600); do
    answers && break
    if ! kill -0 "$started" 2>/dev/null; then
      echo "report-demo: kpi-server exited at start:" >&2
      cat "$out/kpi-server.log" >&2
      exit 1
    fi
    sleep 0.1
  done
  answers || { echo "report-demo: kpi-server did not answer on $server within 60 s" >&2; exit 1; }
fi

"$build/bin/kpi-sample" --customers "$customers" --seed 1 --out "$out/data"
"$build/bin/kpi-report" --data "$out/data" --server "$server" --out "$out/report"
echo "report-demo: open $out/report/report.html (also report.md and report.json)"
