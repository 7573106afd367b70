#!/usr/bin/python3
"""The KPIs of kpi-report's built-in spec, in plain pandas: the baseline of
the report benchmark (run_bench.py --phase report).

Computes from kpi-sample's CSV files what the built-in spec asks the server
for -- per month of the last 12 of the window: logo churn and retention
(and churn by region), closing MRR (and by region), MRR movements and net
MRR churn, NPS (and by region), CSAT, CES, median first response time,
ticket resolution, average session duration, repeat purchase rate, the
funnel (60-day window), campaign click-through (and by channel); over the
window, monthly cohort retention on sessions; as of its end, RFM segment
sizes, and the health score of the current customers with its band sizes
and the 10 customers most at risk -- the way an analyst would write it
with pandas, vectorised, each file read whole with only the columns it
needs. Writes the numbers as JSON, so they can be compared with
report.json.

Usage: /usr/bin/python3 tests/bench/pandas_report.py --data DIR [--out FILE]
"""

import argparse
import json
import os

import numpy as np
import pandas as pd

OPEN_END = pd.Timestamp.max.tz_localize("UTC")
MONTHS = 12
# The built-in spec's health score: (signal, weight, higher is better, min,
# max), the bands' upper bounds, and how many customers at risk it lists.
HEALTH_SIGNALS = [("sessions_30d", 3, True, 0, 8), ("nps", 2, True, 0, 10),
                  ("tickets_90d", 1, False, 0, 3),
                  ("tenure_months", 1, True, 0, 6)]
HEALTH_BANDS = [("red", 40), ("yellow", 70), ("green", np.inf)]
AT_RISK = 10


def read(data, name, columns, times=(), open_end=()):
    frame = pd.read_csv(os.path.join(data, name), usecols=columns)
    for column in times:
        frame[column] = pd.to_datetime(frame[column], utc=True)
    for column in open_end:
        frame[column] = pd.to_datetime(frame[column], utc=True).fillna(
            OPEN_END)
    return frame


def periods(data):
    with open(os.path.join(data, "manifest.json")) as f:
        manifest = json.load(f)
    start = pd.Timestamp(manifest["window_start"])
    end = pd.Timestamp(manifest["window_end"])
    # The last 12 calendar months, ending with the one holding the
    # window's last instant.
    last = (end - pd.Timedelta(microseconds=1)).tz_localize(None).to_period(
        "M")
    months = []
    for back in range(MONTHS - 1, -1, -1):
        month = last - back
        first = month.to_timestamp().tz_localize("UTC")
        after = (month + 1).to_timestamp().tz_localize("UTC")
        months.append((str(month), max(first, start), min(after, end)))
    return months, start, end


def active_at(subs, t):
    return (subs["start"] <= t) & (t < subs["end"])


def subscription_kpis(subs, months):
    out = {}
    subs["mrr"] = subs["amount"] / subs["billing_months"]
    for label, s, e in months:
        at_s = subs[active_at(subs, s)]
        at_e = subs[active_at(subs, e)]
        start_customers = set(at_s["customer"])
        end_customers = set(at_e["customer"])
        lost = start_customers - end_customers
        by_region = {}
        for region, group in at_s.groupby("region"):
            members = set(group["customer"])
            by_region[region] = 100 * len(members - end_customers) / len(
                members)
        mrr_s = at_s.groupby("customer")["mrr"].sum()
        mrr_e = at_e.groupby("customer")["mrr"].sum()
        both = pd.concat([mrr_s.rename("s"), mrr_e.rename("e")],
                         axis=1).fillna(0)
        paid_before = set(subs.loc[(subs["start"] < s) &
                                   (subs["amount"] > 0), "customer"])
        gained = both[(both.s == 0) & (both.e > 0)]
        returning = gained.index.isin(list(paid_before))
        movements = {
            "new": gained.e[~returning].sum(),
            "reactivation": gained.e[returning].sum(),
            "expansion": (both.e - both.s)[(both.s > 0) &
                                           (both.e > both.s)].sum(),
            "contraction": (both.s - both.e)[(both.e > 0) &
                                             (both.e < both.s)].sum(),
            "churn": both.s[(both.s > 0) & (both.e == 0)].sum(),
        }
        starting = both.s.sum()
        out[label] = {
            "churn_rate": 100 * len(lost) / len(start_customers),
            "churn_rate_by_region": by_region,
            "retention_rate": 100 * (len(start_customers) - len(lost)) /
            len(start_customers),
            "mrr": at_e["mrr"].sum(),
            "mrr_by_region": at_e.groupby("region")["mrr"].sum().to_dict(),
            "mrr_movements": {k: float(v) for k, v in movements.items()},
            "net_revenue_churn": 100 * (movements["churn"] +
                                        movements["contraction"] -
                                        movements["expansion"] -
                                        movements["reactivation"]) / starting,
        }
    return out


def in_month(frame, column, s, e):
    return frame[(frame[column] >= s) & (frame[column] < e)]


def survey_share(scores, low, high):
    return 100 * ((scores >= low) & (scores <= high)).mean()


def nps(scores):
    return survey_share(scores, 9, 10) - survey_share(scores, 0, 6)


def funnel(events, s, e, end):
    stages = ["visit", "register", "trial", "purchase"]
    window = pd.Timedelta(days=60)
    rows = events[(events.time >= s) &
                  (events.time < min(e + window, end))]
    first = rows[rows.stage == "visit"].groupby("visitor")["time"].min()
    first = first[(first >= s) & (first < e)]
    reached = [len(first)]
    current = first
    for stage in stages[1:]:
        hits = rows[rows.stage == stage].merge(
            current.rename("prev"), left_on="visitor", right_index=True)
        hits = hits[(hits.time >= hits.prev) &
                    (hits.time < hits.visitor.map(first) + window)]
        current = hits.groupby("visitor")["time"].min()
        reached.append(len(current))
    return reached


def cohorts(sessions):
    # Months as integers (year * 12 + month - 1), so offsets are
    # subtractions.
    month = sessions.start.dt.year * 12 + sessions.start.dt.month - 1
    first = month.groupby(sessions.customer).transform("min")
    frame = pd.DataFrame({"customer": sessions.customer, "cohort": first,
                          "k": month - first}).drop_duplicates()
    sizes = frame[frame.k == 0].groupby("cohort").size()
    active = frame[frame.k <= 12].groupby(["cohort", "k"]).size()

    def label(c):
        return f"{c // 12}-{c % 12 + 1:02d}"
    return {f"{label(c)}/{k}": int(n) for (c, k), n in active.items()}, \
        {label(c): int(n) for c, n in sizes.items()}


def rfm(orders, as_of):
    per = orders.groupby("customer").agg(last=("time", "max"),
                                         frequency=("time", "size"),
                                         monetary=("amount", "sum"))
    recency = (as_of - per["last"]).dt.total_seconds() / 86400
    n = len(per)

    def score(values, reverse=False):
        # Ties share the score of their middle rank (docs/metrics.md, rfm).
        ranks = values.rank(method="average", ascending=not reverse) - 1
        return 1 + np.floor(5 * ranks / n)

    r, f, m = score(recency, reverse=True), score(per.frequency), \
        score(per.monetary)
    high = lambda x: x >= 4  # noqa: E731
    segment = np.select(
        [high(r) & high(f) & high(m), (r <= 2) & high(f) & high(m),
         (r >= 3) & high(f), high(r) & (f <= 2), (r == 1) & (f <= 2),
         (r <= 2) & (f <= 2)],
        ["champions", "at_risk", "loyal", "new", "lost", "hibernating"],
        default="others")
    return pd.Series(segment).value_counts().to_dict()


def health(signals):
    """The health score of each customer of health_signals.csv: each
    signal normalised to 0..100 over [min, max] (clamped), flipped when
    lower is better; the weighted mean of the signals the customer has.
    The arithmetic is the metric's, step for step (weights over the largest
    one the customer has, signals in declared order), so equal scores are
    equal here too and the at-risk list breaks ties the same way."""
    wide = signals.pivot(index="customer", columns="signal", values="value")
    present = {name: wide[name].notna() if name in wide else
               pd.Series(False, index=wide.index)
               for name, *_ in HEALTH_SIGNALS}
    largest = pd.Series(0.0, index=wide.index)
    for name, weight, *_ in HEALTH_SIGNALS:
        largest = largest.where(~present[name] | (largest >= weight), weight)
    weighted = pd.Series(0.0, index=wide.index)
    weights = pd.Series(0.0, index=wide.index)
    for name, weight, higher, low, high in HEALTH_SIGNALS:
        if name not in wide:
            continue
        x = ((wide[name] - low) / (high - low) * 100.0).clip(0.0, 100.0)
        if not higher:
            x = 100.0 - x
        w = weight / largest
        weighted = weighted + (w * x).where(present[name], 0.0)
        weights = weights + w.where(present[name], 0.0)
    score = (weighted / weights).clip(upper=100.0)
    band = pd.Series(HEALTH_BANDS[-1][0], index=score.index)
    for name, bound in reversed(HEALTH_BANDS[:-1]):
        band = band.where(score >= bound, name)
    frame = pd.DataFrame({"score": score, "band": band})
    frame["id"] = frame.index.astype(str)
    lowest = frame.sort_values(["score", "id"]).head(AT_RISK)
    return {
        "health_score": float(score.mean()),
        "health_score_bands": {name: int((band == name).sum())
                               for name, _ in HEALTH_BANDS},
        "health_score_at_risk": [
            {"customer": row.id, "score": float(row.score), "band": row.band}
            for row in lowest.itertuples()],
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", required=True)
    parser.add_argument("--out")
    args = parser.parse_args()
    months, _, end = periods(args.data)
    report = {label: {} for label, _, _ in months}

    subs = read(args.data, "subscriptions.csv",
                ["customer", "start", "end", "amount", "billing_months",
                 "region"], times=["start"], open_end=["end"])
    for label, kpis in subscription_kpis(subs, months).items():
        report[label].update(kpis)
    del subs

    surveys = {
        "nps": (read(args.data, "nps_responses.csv",
                     ["time", "score", "region"], times=["time"]), nps),
        "csat": (read(args.data, "csat_responses.csv", ["time", "score"],
                      times=["time"]), lambda x: survey_share(x, 4, 5)),
        "ces": (read(args.data, "ces_responses.csv", ["time", "score"],
                     times=["time"]), lambda x: survey_share(x, 5, 7)),
    }
    tickets = read(args.data, "tickets.csv",
                   ["created", "first_response", "resolved"],
                   times=["created"], open_end=["first_response", "resolved"])
    sessions = read(args.data, "sessions.csv", ["customer", "start", "end"],
                    times=["start"], open_end=["end"])
    orders = read(args.data, "orders.csv", ["customer", "time", "amount"],
                  times=["time"])
    events = read(args.data, "funnel_events.csv",
                  ["visitor", "stage", "time"], times=["time"])
    campaigns = read(args.data, "campaigns.csv",
                     ["date", "impressions", "clicks", "channel"],
                     times=["date"])
    for label, s, e in months:
        k = report[label]
        for name, (frame, measure) in surveys.items():
            k[name] = measure(in_month(frame, "time", s, e)["score"])
        month_nps = in_month(surveys["nps"][0], "time", s, e)
        k["nps_by_region"] = month_nps.groupby("region")["score"].apply(
            nps).to_dict()
        opened = in_month(tickets, "created", s, e)
        answered = opened[opened.first_response != OPEN_END]
        k["first_response_time"] = (
            answered.first_response - answered.created).dt.total_seconds(
        ).median()
        k["ticket_resolution_rate"] = 100 * (opened.resolved < e).mean()
        month_sessions = in_month(sessions, "start", s, e)
        closed = month_sessions[month_sessions.end != OPEN_END]
        k["average_session_duration"] = (
            closed.end - closed.start).dt.total_seconds().mean()
        month_orders = in_month(orders, "time", s, e).drop_duplicates(
            ["customer", "time"])
        counts = month_orders.groupby("customer").size()
        k["repeat_purchase_rate"] = 100 * (counts >= 2).mean()
        k["funnel"] = funnel(events, s, e, end)
        month_campaigns = in_month(campaigns, "date", s, e)
        k["click_through_rate"] = 100 * month_campaigns.clicks.sum() / \
            month_campaigns.impressions.sum()
        by_channel = month_campaigns.groupby("channel")[
            ["clicks", "impressions"]].sum()
        k["click_through_rate_by_channel"] = (
            100 * by_channel.clicks / by_channel.impressions).to_dict()
    active, sizes = cohorts(sessions)
    report["window"] = {
        "cohort_retention_cells": active,
        "cohort_sizes": sizes,
        "rfm_segments": rfm(orders[orders.time < end], end),
    }
    report["window"].update(health(read(
        args.data, "health_signals.csv", ["customer", "signal", "value"])))
    text = json.dumps(report, indent=1, default=float)
    if args.out:
        with open(args.out, "w") as f:
            f.write(text)


if __name__ == "__main__":
    main()
