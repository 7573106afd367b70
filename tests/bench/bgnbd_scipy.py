#!/usr/bin/python3
"""BG/NBD the way a user writes it without kpi-service: numpy summaries and
a scipy fit (L-BFGS-B, finite-difference gradients, on log-parameters) --
the baseline issue 14 compares the bgnbd metric with. And the data both
see: a simulated BG/NBD population.

  bgnbd_scipy.py simulate --customers N --seed S --out FILE
      writes FILE: every purchase as two little-endian int64s (customer id,
      unix microseconds), customers in order; prints {"calibration_end_us",
      "customers", "transactions"} as JSON. First purchases fall in the
      first 12 weeks, as CDNOW's; purchase rates and dropout follow the
      published CDNOW fit (r 0.243, alpha 4.414, a 0.793, b 2.426) over a
      39-week calibration period.
  bgnbd_scipy.py fit --transactions FILE --calibration-end-us T
      prints the fit as JSON: the summaries', fit's and predictions'
      seconds, r, alpha, a, b, the log-likelihood, and the expected repeat
      purchases of every customer over the next 39 weeks, summed (the
      bgnbd metric's value, to check both computed the same thing).

Summaries follow the bgnbd metric: weeks; purchases at one instant are one
transaction; x repeats, t_x first to last purchase, T first purchase to
calibration end.
"""
import argparse
import json
import sys
import time

import numpy as np
from scipy import optimize, special

WEEK_US = 7 * 24 * 3600 * 1_000_000
START_US = 1_704_067_200_000_000          # 2024-01-01T00:00:00Z
WEEKS = 39
HORIZON = 39
TRUE = dict(r=0.243, alpha=4.414, a=0.793, b=2.426)


def simulate(customers, seed):
    rng = np.random.default_rng(seed)
    birth = rng.uniform(0, 12, customers)
    rate = rng.gamma(TRUE["r"], 1 / TRUE["alpha"], customers)
    dropout = rng.beta(TRUE["a"], TRUE["b"], customers)
    ids = [np.arange(customers)]
    times = [birth]
    now = birth.copy()
    alive = np.ones(customers, dtype=bool)
    while alive.any():
        # The next purchase comes after an exponential gap; the customer may
        # drop out after each repeat purchase (never before the first).
        who = np.flatnonzero(alive)
        now[who] += rng.exponential(1 / np.maximum(rate[who], 1e-12))
        alive[who[now[who] > WEEKS]] = False
        bought = who[now[who] <= WEEKS]
        ids.append(bought)
        times.append(now[bought])
        alive[bought[rng.uniform(size=bought.size) < dropout[bought]]] = False
    ids = np.concatenate(ids)
    micros = START_US + np.round(np.concatenate(times) * WEEK_US).astype(
        np.int64)
    order = np.lexsort((micros, ids))
    return ids[order].astype(np.int64), micros[order]


def summaries(ids, micros, calibration_end_us):
    """x, t_x, T per customer (in weeks), as the bgnbd metric reads them."""
    keep = micros <= calibration_end_us
    ids, micros = ids[keep], micros[keep]
    order = np.lexsort((micros, ids))
    ids, micros = ids[order], micros[order]
    distinct = np.ones(ids.size, dtype=bool)
    distinct[1:] = (ids[1:] != ids[:-1]) | (micros[1:] != micros[:-1])
    ids, micros = ids[distinct], micros[distinct]
    starts = np.flatnonzero(np.r_[True, ids[1:] != ids[:-1]])
    ends = np.r_[starts[1:], ids.size] - 1
    x = (ends - starts).astype(float)
    t_x = (micros[ends] - micros[starts]) / WEEK_US
    T = (calibration_end_us - micros[starts]) / WEEK_US
    return x, t_x, T


def log_likelihood(params, x, t_x, T):
    r, alpha, a, b = params
    a1 = special.gammaln(r + x) - special.gammaln(r) + r * np.log(alpha)
    a2 = (special.gammaln(a + b) + special.gammaln(b + x) -
          special.gammaln(b) - special.gammaln(a + b + x))
    a3 = -(r + x) * np.log(alpha + T)
    with np.errstate(divide="ignore", invalid="ignore"):
        a4 = np.where(x > 0, np.log(a) - np.log(np.maximum(b + x - 1, 1e-300)) -
                      (r + x) * np.log(alpha + t_x), -np.inf)
    return np.sum(a1 + a2 + np.logaddexp(a3, a4))


def fit(x, t_x, T):
    def negative(log_params):
        value = -log_likelihood(np.exp(log_params), x, t_x, T)
        return value if np.isfinite(value) else 1e300
    found = optimize.minimize(negative, np.zeros(4), method="L-BFGS-B")
    return np.exp(found.x), -found.fun, found


def expected_purchases(params, x, t_x, T, t):
    """Conditional expectation of repeat purchases in (T, T + t]."""
    r, alpha, a, b = params
    z = t / (alpha + T + t)
    hyp = special.hyp2f1(r + x, b + x, a + b + x - 1, z)
    head = (a + b + x - 1) / (a - 1) * (
        1 - ((alpha + T) / (alpha + T + t)) ** (r + x) * hyp)
    with np.errstate(divide="ignore", invalid="ignore"):
        odds = np.where(x > 0, a / np.maximum(b + x - 1, 1e-300) *
                        ((alpha + T) / (alpha + t_x)) ** (r + x), 0.0)
    return head / (1 + odds), 1 / (1 + odds)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    sim = commands.add_parser("simulate")
    sim.add_argument("--customers", type=int, required=True)
    sim.add_argument("--seed", type=int, default=1)
    sim.add_argument("--out", required=True)
    fitting = commands.add_parser("fit")
    fitting.add_argument("--transactions", required=True)
    fitting.add_argument("--calibration-end-us", type=int, required=True)
    args = parser.parse_args()

    if args.command == "simulate":
        ids, micros = simulate(args.customers, args.seed)
        np.column_stack((ids, micros)).astype("<i8").tofile(args.out)
        print(json.dumps({"calibration_end_us": START_US + WEEKS * WEEK_US,
                          "customers": args.customers,
                          "transactions": int(ids.size)}))
        return 0

    pairs = np.fromfile(args.transactions, dtype="<i8").reshape(-1, 2)
    clock = time.perf_counter()
    x, t_x, T = summaries(pairs[:, 0], pairs[:, 1], args.calibration_end_us)
    summarised = time.perf_counter()
    params, ll, found = fit(x, t_x, T)
    fitted = time.perf_counter()
    expected, p_alive = expected_purchases(params, x, t_x, T, HORIZON)
    predicted = time.perf_counter()
    if not (np.all(np.isfinite(expected)) and np.all(np.isfinite(p_alive))):
        print("bgnbd_scipy: a prediction is not finite", file=sys.stderr)
        return 1
    print(json.dumps({
        "customers": int(x.size),
        "summaries_s": summarised - clock, "fit_s": fitted - summarised,
        "predict_s": predicted - fitted, "total_s": predicted - clock,
        "evaluations": int(found.nfev), "converged": bool(found.success),
        "r": params[0], "alpha": params[1], "a": params[2], "b": params[3],
        "log_likelihood": ll, "expected_purchases": float(expected.sum())}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
