"""The predictive phase of tests/bench/run_bench.py (issue 14): the bgnbd
metric -- fit and predictions, from raw transactions, through kpi-server --
against the scipy fit a user writes instead (bgnbd_scipy.py), on the same
simulated population at each size.

The service's time is one ComputeStream's, first chunk to answer, best of
ROUNDS; scipy's is its summaries, fit and predictions, reading the file
aside. Both answer the population's expected repeat purchases over the
next 39 weeks, which must agree (the fits are two optimizers on one
likelihood)."""
import json
import os
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
SCIPY = os.path.join(HERE, "bgnbd_scipy.py")
SIZES = (100_000, 1_000_000)
ROUNDS = 3


def phase(build, measure, sizes=SIZES):
    """`measure(build, service, name, case, flags)` is run_bench's."""
    rows = []
    with tempfile.TemporaryDirectory(prefix="kpi-bgnbd-bench-") as scratch:
        for customers in sizes:
            data = os.path.join(scratch, f"bgnbd-{customers}.bin")
            print(f"bench: predictive, {customers} customers",
                  file=sys.stderr, flush=True)
            population = json.loads(subprocess.run(
                ["/usr/bin/python3", SCIPY, "simulate", "--customers",
                 str(customers), "--seed", "1", "--out", data],
                check=True, capture_output=True, text=True).stdout)
            end = str(population["calibration_end_us"])
            scipy = json.loads(subprocess.run(
                ["/usr/bin/python3", SCIPY, "fit", "--transactions", data,
                 "--calibration-end-us", end],
                check=True, capture_output=True, text=True).stdout)
            best = None
            for _ in range(ROUNDS):
                result = measure(build, "kpi", f"bgnbd_{customers}", "bgnbd",
                                 [f"--transactions={data}",
                                  f"--calibration-end-us={end}",
                                  "--min-seconds=0"])
                if result["errors"]:
                    raise RuntimeError(f"bgnbd failed: {result['first_error']}")
                if best is None or result["p50_us"] < best["p50_us"]:
                    best = result
            rows.append({
                "customers": customers,
                "transactions": population["transactions"],
                "kpi_s": best["p50_us"] / 1e6,
                "kpi_peak_rss_kb": best["peak_rss_kb"],
                "kpi_expected_purchases": best["value"],
                "scipy": scipy,
                "speedup": scipy["total_s"] / (best["p50_us"] / 1e6),
            })
    return rows


def targets(rows):
    """>= 10x scipy at 100,000 customers; <= 3 s at 1,000,000."""
    out = []
    for r in rows:
        if r["customers"] == 100_000:
            out.append({"target": "bgnbd fit + predictions, 100,000 "
                                  "customers through kpi-server, vs scipy",
                        "ratio": r["speedup"], "ceiling": None,
                        "required": ">= 10",
                        "verdict": "PASS" if r["speedup"] >= 10 else "MISS"})
        if r["customers"] == 1_000_000:
            out.append({"target": "bgnbd fit + predictions, 1,000,000 "
                                  "customers through kpi-server, seconds",
                        "ratio": r["kpi_s"], "ceiling": None,
                        "required": "<= 3",
                        "verdict": "PASS" if r["kpi_s"] <= 3 else "MISS"})
    return out


def markdown(rows):
    lines = [
        "", "## Predictive: BG/NBD against scipy", "",
        "A simulated BG/NBD population (tests/bench/bgnbd_scipy.py "
        "simulate: the CDNOW fit's parameters, first purchases over 12 "
        "weeks, 39 calibration weeks, times to the microsecond, so nearly "
        "every customer's summary is distinct). kpi-server: one bgnbd "
        "ComputeStream from the raw transactions (int64 customer ids), fit "
        f"and the customers table of predictions, best of {ROUNDS}, plugins "
        "in workers. scipy: numpy summaries, L-BFGS-B on log-parameters with "
        "finite-difference gradients, P(alive) and 39-week expectations "
        "(scipy.special.hyp2f1), the file already in memory.", "",
        "| customers (transactions) | kpi-server | scipy: summaries + fit + "
        "predictions | speedup | expected purchases, kpi / scipy |",
        "|---|---|---|---|---|",
    ]
    for r in rows:
        s = r["scipy"]
        lines.append(
            f"| {r['customers']:,} ({r['transactions']:,}) | "
            f"{r['kpi_s']:.2f} s, peak RSS {r['kpi_peak_rss_kb'] / 1024:.0f} "
            f"MiB | {s['total_s']:.2f} s ({s['summaries_s']:.2f} + "
            f"{s['fit_s']:.2f}, {s['evaluations']} evaluations, + "
            f"{s['predict_s']:.2f}) | {r['speedup']:.1f}x | "
            f"{r['kpi_expected_purchases']:,.1f} / "
            f"{s['expected_purchases']:,.1f} |")
    return lines
