#!/usr/bin/python3
"""Runs the whole benchmark suite and writes the report.

Every case runs against kpi-server, the bare gRPC server, the Python service
and in process, in this one run, with the same payloads and concurrency; the
micro-benchmarks follow. Writes docs/performance.md (the tables, the targets
as ratios with PASS/MISS, the machine) and a JSON file with every number.

Usage: /usr/bin/python3 tests/bench/run_bench.py --build-dir build-bench
       [--md docs/performance.md] [--json build-bench/bench.json] [--quick]
(--quick: a trial run, written to the build directory instead.)
"""

import argparse
import datetime
import json
import os
import platform
import re
import signal
import subprocess
import sys
import threading
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__))))
NOTES = os.path.join(ROOT, "tests", "bench", "performance_notes.md")

# "kpi" is kpi-server as it starts by default: every plugin in a worker
# process (--isolation process); "kpi_none" the same server with the plugins
# in its own process (--isolation none).
SERVICES = ["kpi", "kpi_none", "bare", "python", "inprocess"]
SERVICE_NAMES = {"kpi": "kpi-server", "kpi_none": "kpi-server, in process",
                 "bare": "bare gRPC", "python": "Python grpcio+numpy",
                 "inprocess": "in-process"}

# Rounds of the unary cases; the best counts.
UNARY_ROUNDS = 2

# (name, kpi-bench case, extra flags, what it is)
UNARY_CASES = [
    ("small_nps", "small_nps", [], "ComputeNps, 100 scores"),
    ("small_churn", "small_churn", [], "ComputeChurnRate, two counts"),
]
STREAM_CASES = [
    ("bulk_nps_1m", "bulk_nps", ["--rows=1000000"],
     "nps, 1M rows, ComputeStream"),
    ("bulk_nps", "bulk_nps", ["--rows=10000000"],
     "nps, 10M rows, ComputeStream"),
    ("grouped_nps", "grouped_nps", ["--rows=10000000"],
     "nps by 1,000 segments, 10M rows"),
    ("records_rpr", "records_rpr", ["--copies=15"],
     "repeat_purchase_rate records, CDNOW x15 (1.04M rows)"),
]


class Server:
    """A server process started for one or more cases; knows its port."""

    def __init__(self, argv, name):
        self.name = name
        self.process = subprocess.Popen(argv, stderr=subprocess.PIPE,
                                        stdout=subprocess.DEVNULL, text=True)
        self.port = None
        ready = threading.Event()

        def drain():
            for line in self.process.stderr:
                match = re.search(r"on port (\d+)", line)
                if match and self.port is None:
                    self.port = int(match.group(1))
                    ready.set()
            ready.set()

        threading.Thread(target=drain, daemon=True).start()
        if not ready.wait(120) or self.port is None:
            self.stop()
            raise RuntimeError(f"{name} did not start: {argv}")

    def tree(self):
        """The server and its child processes (kpi-server's plugin
        workers): a server's cost includes its workers'."""
        pids = [self.process.pid]
        for entry in os.listdir("/proc"):
            if not entry.isdigit():
                continue
            try:
                with open(f"/proc/{entry}/stat") as f:
                    fields = f.read().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == self.process.pid:
                pids.append(int(entry))
        return pids

    def status(self, field):
        """A /proc/PID/status field in kB, e.g. VmHWM (peak RSS), summed
        over the server and its workers."""
        total = None
        for pid in self.tree():
            try:
                with open(f"/proc/{pid}/status") as f:
                    for line in f:
                        if line.startswith(field + ":"):
                            total = (total or 0) + int(line.split()[1])
            except OSError:
                pass
        return total

    def cpu_seconds(self):
        total = 0.0
        for pid in self.tree():
            try:
                with open(f"/proc/{pid}/stat") as f:
                    fields = f.read().rsplit(")", 1)[1].split()
            except OSError:
                continue
            total += (int(fields[11]) + int(fields[12])) / \
                os.sysconf("SC_CLK_TCK")
        return total

    def stop(self):
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(30)
            except subprocess.TimeoutExpired:
                self.process.kill()


def start_server(service, build):
    bin_dir = os.path.join(build, "bin")
    argv = {
        "kpi": [os.path.join(bin_dir, "kpi-server"), "--listen",
                "127.0.0.1:0"],
        "kpi_none": [os.path.join(bin_dir, "kpi-server"), "--listen",
                     "127.0.0.1:0", "--isolation", "none"],
        "bare": [os.path.join(bin_dir, "kpi-bare-server"), "--listen",
                 "127.0.0.1:0"],
        "python": ["/usr/bin/python3",
                   os.path.join(ROOT, "tests", "bench", "py_service.py"),
                   "--gen-dir", os.path.join(build, "tests", "bench",
                                             "python")],
    }[service]
    return Server(argv, service)


def run_bench(build, case, flags, server=None):
    argv = [os.path.join(build, "bin", "kpi-bench"), f"--case={case}"] + flags
    argv.append(f"--target=127.0.0.1:{server.port}" if server else
                "--inprocess")
    out = subprocess.run(argv, check=True, capture_output=True, text=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def measure(build, service, name, case, flags, running=None):
    """One case against one service -- on `running`, or else on a server
    started for it -- with the server's peak memory and CPU time."""
    if service == "inprocess":
        return run_bench(build, case, flags)
    server = running or start_server(service, build)
    try:
        idle = server.status("VmHWM")
        cpu = server.cpu_seconds()
        result = run_bench(build, case, flags, server)
        result["server_cpu_s"] = server.cpu_seconds() - cpu
        result["idle_peak_rss_kb"] = idle
        result["peak_rss_kb"] = server.status("VmHWM")
        return result
    finally:
        if running is None:
            server.stop()


def unary_phase(build, flags, rounds):
    """The unary cases, every service in turn, `rounds` times over one
    server per service; each service's best round counts, so a burst of
    other work on the machine does not decide a ratio."""
    servers = {s: start_server(s, build) for s in SERVICES
               if s != "inprocess"}
    best = {}
    try:
        for _ in range(rounds):
            for name, case, case_flags, _ in UNARY_CASES:
                for service in SERVICES:
                    print(f"bench: {service} {name}", file=sys.stderr,
                          flush=True)
                    result = measure(build, service, name, case,
                                     case_flags + flags, servers.get(service))
                    key = (service, name)
                    if key not in best or result["qps"] > best[key]["qps"]:
                        best[key] = dict(result, service=service, name=name)
    finally:
        for server in servers.values():
            server.stop()
    return list(best.values())


def machine():
    def lscpu(field):
        out = subprocess.run(["lscpu"], capture_output=True, text=True).stdout
        match = re.search(rf"^{field}:\s*(.+)$", out, re.M)
        return match.group(1).strip() if match else "?"

    def git(*args):
        return subprocess.run(["git", "-C", ROOT] + list(args),
                              capture_output=True, text=True).stdout.strip()

    dirty = " (with uncommitted changes)" if git("status", "--porcelain") \
        else ""
    with open("/proc/loadavg") as f:
        load = " ".join(f.read().split()[:3])
    return {
        "cpu": lscpu("Model name"),
        "cores": os.cpu_count(),
        "kernel": platform.release(),
        "date": datetime.datetime.now(datetime.timezone.utc).strftime(
            "%Y-%m-%d %H:%M UTC"),
        "commit": git("rev-parse", "--short", "HEAD") + dirty,
        "load_average_at_start": load,
    }


def micro(build, quick):
    out = subprocess.run(
        [os.path.join(build, "bin", "kpi-micro-bench"),
         "--benchmark_format=json",
         f"--benchmark_min_time={0.05 if quick else 0.3}"],
        check=True, capture_output=True, text=True)
    return [{"name": b["name"], "real_time": b["real_time"],
             "time_unit": b["time_unit"],
             "items_per_second": b.get("items_per_second")}
            for b in json.loads(out.stdout)["benchmarks"]]


def ratio(a, b):
    return a / b if a and b else None


# Input bytes the 10M-row nps stream carries beyond the 1M-row one.
EXTRA_INPUT_KB = 9_000_000 * 8 / 1024


def targets(results):
    """Each target as a ratio, with the ceiling the RPC path allows where
    the bare server bounds it: no server can beat receiving and parsing."""
    r = {(x["service"], x["name"]): x for x in results}

    def get(service, name, field):
        return r.get((service, name), {}).get(field)

    rows = []
    for name in ("small_nps", "small_churn"):
        rows.append((f"{name}: QPS vs bare gRPC",
                     ratio(get("kpi", name, "qps"), get("bare", name, "qps")),
                     None, ">= 0.8", lambda v: v >= 0.8))
        rows.append((f"{name}: p99 latency vs bare gRPC",
                     ratio(get("kpi", name, "p99_us"),
                           get("bare", name, "p99_us")),
                     None, "<= 1.5", lambda v: v <= 1.5))
    # What plugin isolation costs: the default (workers) against the same
    # server with its plugins in process.
    for name in ("small_nps", "small_churn"):
        rows.append((f"{name}: isolated QPS vs in-process plugins",
                     ratio(get("kpi", name, "qps"),
                           get("kpi_none", name, "qps")),
                     None, ">= 0.8", lambda v: v >= 0.8))
    rows.append(("bulk_nps 10M rows: isolated rows/s vs in-process plugins",
                 ratio(get("kpi", "bulk_nps", "rows_per_s"),
                       get("kpi_none", "bulk_nps", "rows_per_s")),
                 None, ">= 0.8", lambda v: v >= 0.8))
    rows.append(("bulk_nps 10M rows: rows/s vs bare receive+parse",
                 ratio(get("kpi", "bulk_nps", "rows_per_s"),
                       get("bare", "bulk_nps", "rows_per_s")),
                 None, ">= 0.5", lambda v: v >= 0.5))
    def growth(service):
        peak_1m = get(service, "bulk_nps_1m", "peak_rss_kb")
        peak_10m = get(service, "bulk_nps", "peak_rss_kb")
        if not peak_1m or not peak_10m:
            return None
        return (peak_10m - peak_1m) / EXTRA_INPUT_KB

    rows.append(("bulk_nps: server peak RSS growth 1M -> 10M rows, as a "
                 "share of the 69 MiB of extra input",
                 growth("kpi"), growth("bare"), "<= 0.1 (flat)",
                 lambda v: v <= 0.1))
    rows.append(("grouped_nps (1,000 segments): rows/s vs ungrouped",
                 ratio(get("kpi", "grouped_nps", "rows_per_s"),
                       get("kpi", "bulk_nps", "rows_per_s")),
                 ratio(get("bare", "grouped_nps", "rows_per_s"),
                       get("kpi", "bulk_nps", "rows_per_s")),
                 ">= 0.5", lambda v: v >= 0.5))
    for name, *_ in UNARY_CASES + STREAM_CASES:
        field = "qps" if name.startswith("small") else "rows_per_s"
        rows.append((f"{name}: vs Python",
                     ratio(get("kpi", name, field),
                           get("python", name, field)),
                     ratio(get("bare", name, field),
                           get("python", name, field)),
                     ">= 10", lambda v: v >= 10))
    return [{"target": t, "ratio": v, "ceiling": c, "required": req,
             "verdict": "n/a" if v is None else ("PASS" if ok(v) else "MISS")}
            for t, v, c, req, ok in rows]


def fmt(value, digits=3):
    if value is None:
        return "-"
    if abs(value) >= 1e9:
        return f"{value / 1e9:.{digits}g} G"
    if abs(value) >= 1e6:
        return f"{value / 1e6:.{digits}g} M"
    if abs(value) >= 1e3:
        return f"{value / 1e3:.{digits}g} k"
    return f"{value:.{digits}g}"


def markdown(report):
    m = report["machine"]
    by = {(x["service"], x["name"]): x for x in report["results"]}
    lines = [
        "# Performance",
        "",
        "Written by `scripts/bench.sh` (tests/bench/run_bench.py); every "
        "number below comes from one run on one machine. Ratios matter, not "
        "absolute times.",
        "",
        f"- Machine: {m['cpu']}, {m['cores']} cores, Linux {m['kernel']}",
        f"- Run: {m['date']}, commit {m['commit']}, load average at start "
        f"{m['load_average_at_start']}",
        "- Client (kpi-bench) and server share the machine's cores; "
        "numbers taken while other work runs on the machine are noisy "
        "(see the load average).",
        "",
        "## Targets",
        "",
        "The ceiling is the same ratio with the bare gRPC server in "
        "kpi-server's place: what the RPC path allows a server that "
        "computes nothing.",
        "",
        "| target | measured | ceiling | required | verdict |",
        "|---|---|---|---|---|",
    ]
    for t in report["targets"]:
        v = "-" if t["ratio"] is None else f"{t['ratio']:.2f}"
        c = "-" if t["ceiling"] is None else f"{t['ceiling']:.2f}"
        lines.append(f"| {t['target']} | {v} | {c} | {t['required']} | "
                     f"**{t['verdict']}** |")
    lines += [
        "",
        "## Unary calls (QPS; latency p50 / p90 / p99 in microseconds)",
        "",
        "Callback API, 4 channels x 8 calls in flight, 1 s warm-up, 5 s "
        f"measured, best of {UNARY_ROUNDS} rounds (services take turns); "
        "in-process: 2 threads calling the handler back to back.",
        "",
        "| case | " + " | ".join(SERVICE_NAMES[s] for s in SERVICES) + " |",
        "|---|" + "---|" * len(SERVICES),
    ]
    for name, _, _, what in UNARY_CASES:
        cells = []
        for s in SERVICES:
            x = by.get((s, name))
            cells.append("-" if x is None else
                         f"{fmt(x['qps'])} QPS ({x['p50_us']:.0f} / "
                         f"{x['p90_us']:.0f} / {x['p99_us']:.0f})")
        lines.append(f"| {name}: {what} | " + " | ".join(cells) + " |")
    lines += [
        "",
        "## Streamed calls (rows/s; server peak RSS)",
        "",
        "One ComputeStream at a time, chunks of 50,000 rows (400 kB of "
        "scores; 800 kB with the segment column), repeated for at least 3 s; "
        "each case against a freshly started server. Peak RSS is the "
        "server's VmHWM after the case, plus its plugin workers' (at "
        "start-up, idle, in brackets).",
        "",
        "| case | " + " | ".join(SERVICE_NAMES[s] for s in SERVICES) +
        " | kpi-server peak RSS | in process |",
        "|---|" + "---|" * (len(SERVICES) + 2),
    ]
    for name, _, _, what in STREAM_CASES:
        cells = []
        for s in SERVICES:
            x = by.get((s, name))
            cells.append("-" if x is None else f"{fmt(x['rows_per_s'])}")
        rss = []
        for s in ("kpi", "kpi_none"):
            k = by.get((s, name), {})
            rss.append(f"{k['peak_rss_kb'] / 1024:.0f} MiB "
                       f"({k['idle_peak_rss_kb'] / 1024:.0f} MiB)"
                       if k.get("peak_rss_kb") else "-")
        lines.append(f"| {name}: {what} | " + " | ".join(cells) +
                     f" | {' | '.join(rss)} |")
    servers = [s for s in SERVICES if s != "inprocess"]
    lines += [
        "",
        "Server CPU time per row (user + system of the server and its "
        "plugin workers, ns): where the time of a streamed row goes.",
        "",
        "| case | " + " | ".join(SERVICE_NAMES[s] for s in servers) + " |",
        "|---|" + "---|" * len(servers),
    ]
    for name, *_ in STREAM_CASES:
        cells = []
        for s in servers:
            x = by.get((s, name), {})
            cells.append(f"{x['server_cpu_s'] / x['rows'] * 1e9:.1f}"
                         if x.get("rows") else "-")
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    lines += [
        "",
        "Values computed (the last answer of each service; bare gRPC "
        "answers a constant):",
        "",
        "| case | " + " | ".join(SERVICE_NAMES[s] for s in SERVICES
                                if s != "bare") + " |",
        "|---|" + "---|" * (len(SERVICES) - 1),
    ]
    for name, *_ in UNARY_CASES + STREAM_CASES:
        cells = [fmt(by.get((s, name), {}).get("value"), 8)
                 for s in SERVICES if s != "bare"]
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    lines += [
        "",
        "## Micro-benchmarks (Google Benchmark, 1M rows)",
        "",
        "| benchmark | time | rows/s |",
        "|---|---|---|",
    ]
    for b in report["micro"]:
        lines.append(f"| {b['name']} | {b['real_time']:.3g} "
                     f"{b['time_unit']} | {fmt(b['items_per_second'])} |")
    lines.append("")
    with open(NOTES) as f:
        lines.append(f.read().rstrip())
    return "\n".join(lines) + "\n"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--build-dir", required=True)
    parser.add_argument("--md", default=os.path.join(ROOT, "docs",
                                                     "performance.md"))
    parser.add_argument("--json")
    parser.add_argument("--quick", action="store_true",
                        help="short runs and 1M-row bulk cases, to try the "
                             "suite out; writes performance-quick.md and "
                             "bench-quick.json in the build directory")
    args = parser.parse_args()
    build = os.path.abspath(args.build_dir)
    json_path = args.json or os.path.join(build, "bench.json")
    md_path = args.md
    if args.quick:
        # A trial run never replaces the report.
        json_path = os.path.join(build, "bench-quick.json")
        md_path = os.path.join(build, "performance-quick.md")

    unary_flags = (["--warmup=0.2", "--seconds=1"] if args.quick else
                   ["--warmup=1", "--seconds=5"])
    stream_flags = ["--min-seconds=0.5" if args.quick else "--min-seconds=3"]
    report = {"machine": machine(), "results": []}
    started = time.time()
    report["results"] += unary_phase(build, unary_flags,
                                     1 if args.quick else UNARY_ROUNDS)
    for service in SERVICES:
        for name, case, flags, _ in STREAM_CASES:
            if args.quick:
                flags = [f for f in flags if not f.startswith("--rows")] + \
                    ["--rows=1000000"]
            print(f"bench: {service} {name}", file=sys.stderr, flush=True)
            # A fresh server per streamed case: its peak RSS is this case's.
            result = measure(build, service, name, case,
                             flags + stream_flags)
            report["results"].append(dict(result, service=service,
                                          name=name))
    print("bench: micro-benchmarks", file=sys.stderr, flush=True)
    report["micro"] = micro(build, args.quick)
    report["targets"] = targets(report["results"])
    report["seconds"] = time.time() - started

    with open(json_path, "w") as f:
        json.dump(report, f, indent=1)
    with open(md_path, "w") as f:
        f.write(markdown(report))
    print(f"bench: wrote {md_path} and {json_path} in "
          f"{report['seconds']:.0f} s", file=sys.stderr)
    for t in report["targets"]:
        print(f"  {t['verdict']:4}  {t['target']}", file=sys.stderr)


if __name__ == "__main__":
    main()
