#!/usr/bin/python3
"""The Python baseline: kpi.v1.MetricService as a team would write it with
grpcio and numpy instead of kpi-server -- the calls the benchmark makes, with
the same validation and the same answers:

  ComputeNps         NPS with its 95% interval over the request's scores
  ComputeChurnRate   churn from two counts
  ComputeStream      nps (optionally group_by one int64 column), and
                     repeat_purchase_rate from records (customer, time)

Usage: /usr/bin/python3 py_service.py --gen-dir DIR [--listen HOST:PORT]
DIR holds the generated kpi/v1/*_pb2.py. Logs "py-service: serving on port P"
on stderr; stops on SIGINT/SIGTERM.
"""

import argparse
import os
import signal
import sys
import threading
from concurrent import futures

import grpc
import numpy as np

# Two-sided critical value of the 95% level, the nps default.
Z_95 = 1.959963984540054


class BadInput(Exception):
    """Input that kpi-server would refuse with INVALID_ARGUMENT."""


def scores_array(values):
    scores = np.array(values, dtype=np.float64)
    ok = (np.isfinite(scores) & (scores >= 0) & (scores <= 10)
          & (scores == np.floor(scores)))
    if not ok.all():
        row = int(np.argmin(ok))
        raise BadInput(f"input 'scores' row {row}: {scores[row]} is not a "
                       "whole number in 0..10")
    return scores


class NpsCounts:
    """Responses, promoters and detractors: the state of a streamed nps."""

    def __init__(self):
        self.n = self.promoters = self.detractors = 0

    def add(self, scores):
        self.n += scores.size
        self.promoters += int(np.count_nonzero(scores >= 9))
        self.detractors += int(np.count_nonzero(scores <= 6))

    def fill(self, result):
        result.metric = "nps"
        result.unit = "score"
        result.sample_size = self.n
        result.ratio.numerator = self.promoters - self.detractors
        result.ratio.denominator = self.n
        if self.n == 0:
            result.undefined_reason = "no responses: scores is empty"
            return
        p, d = self.promoters / self.n, self.detractors / self.n
        value = (p - d) * 100
        se = 100 * np.sqrt(max(0.0, p + d - (p - d) ** 2) / self.n)
        margin = Z_95 * se
        result.value = value
        result.interval.lower = max(-100.0, value - margin)
        result.interval.upper = min(100.0, value + margin)
        result.interval.margin = margin
        result.interval.standard_error = se
        result.interval.confidence_level = 0.95
        if self.n < 30:
            result.warnings.append(
                f"only {self.n} responses (fewer than 30): the margin of "
                "error is wide")


def column(chunk, name):
    for c in chunk.columns:
        if c.name == name:
            return c
    raise BadInput(f"input '{name}': required but missing")


def rate(result, metric, numerator, denominator, reason):
    result.metric = metric
    result.unit = "%"
    result.ratio.numerator = numerator
    result.ratio.denominator = denominator
    if denominator == 0:
        result.undefined_reason = reason
    else:
        result.value = numerator / denominator * 100


class Service:
    def __init__(self, pb, pb_grpc):
        self.pb = pb
        # The servicer class is generated; methods are looked up by name.
        self.servicer = type("Servicer", (pb_grpc.MetricServiceServicer,), {
            "ComputeNps": self.compute_nps,
            "ComputeChurnRate": self.compute_churn_rate,
            "ComputeStream": self.compute_stream,
        })()

    def compute_nps(self, request, context):
        response = self.pb.ComputeNpsResponse()
        try:
            counts = NpsCounts()
            counts.add(scores_array(request.scores))
            counts.fill(response.result)
        except BadInput as e:
            context.abort(grpc.StatusCode.INVALID_ARGUMENT, str(e))
        return response

    def compute_churn_rate(self, request, context):
        start, lost = request.customers_at_start, request.customers_lost
        if start < 0 or lost < 0:
            context.abort(grpc.StatusCode.INVALID_ARGUMENT,
                          "counts must be >= 0")
        response = self.pb.ComputeChurnRateResponse()
        rate(response.result, "churn_rate", lost, start,
             "customers_at_start is 0")
        return response

    def compute_stream(self, request_iterator, context):
        response = self.pb.ComputeStreamResponse()
        chunks = iter(request_iterator)
        first = next(chunks, None)
        if first is None:
            context.abort(grpc.StatusCode.INVALID_ARGUMENT, "no chunks")
        streams = {"nps": self.stream_nps,
                   "repeat_purchase_rate": self.stream_repeat_purchase_rate}
        if first.metric not in streams:
            context.abort(grpc.StatusCode.NOT_FOUND,
                          f"no metric '{first.metric}'")
        try:
            response.chunks = streams[first.metric](first, chunks,
                                                    response.result)
        except BadInput as e:
            context.abort(grpc.StatusCode.INVALID_ARGUMENT, str(e))
        return response

    def stream_nps(self, first, chunks, result):
        overall = NpsCounts()
        segments = {}  # key -> NpsCounts
        group_by = list(first.group_by)
        count = 0
        for chunk in _chain(first, chunks):
            count += 1
            scores = scores_array(column(chunk, "scores").doubles.values)
            overall.add(scores)
            if not group_by:
                continue
            keys = np.array(column(chunk, group_by[0]).int64s.values,
                            dtype=np.int64)
            if keys.size != scores.size:
                raise BadInput("group_by column length differs")
            unique, inverse = np.unique(keys, return_inverse=True)
            n = np.bincount(inverse, minlength=unique.size)
            p = np.bincount(inverse, weights=scores >= 9,
                            minlength=unique.size)
            d = np.bincount(inverse, weights=scores <= 6,
                            minlength=unique.size)
            for key, kn, kp, kd in zip(unique.tolist(), n.tolist(),
                                       p.tolist(), d.tolist()):
                counts = segments.setdefault(key, NpsCounts())
                counts.n += kn
                counts.promoters += int(kp)
                counts.detractors += int(kd)
        overall.fill(result)
        for key in sorted(segments):
            segment = result.segments.add()
            segment.key.append(str(key))
            segments[key].fill(segment.result)
        return count

    def stream_repeat_purchase_rate(self, first, chunks, result):
        window_start = first.parameters["window_start"].int64_value
        window_end = first.parameters["window_end"].int64_value
        customers, times, entries = [], [], []
        count = 0
        for chunk in _chain(first, chunks):
            count += 1
            # The customer key column: strings, int64s, or codes into a
            # dictionary that each chunk's entries extend.
            key = column(chunk, "customer")
            kind = key.WhichOneof("values")
            if kind == "int64s":
                ids = np.array(key.int64s.values, dtype=np.int64)
            elif kind == "keys":
                entries.extend(key.keys.entries)
                ids = np.array(key.keys.codes, dtype=np.int64)
                if ids.size and ids.max() >= len(entries):
                    raise BadInput("a code is not in the dictionary")
            else:
                ids = np.array(key.strings.values)
                if (ids == "").any():
                    raise BadInput("customer is empty in a row")
            at = column(chunk, "time").timestamps.unix_micros
            if len(ids) != len(at):
                raise BadInput("columns must have equal length")
            customers.append(ids)
            times.append(np.array(at, dtype=np.int64))
        if "" in entries:
            raise BadInput("a dictionary entry is empty")
        ids = np.concatenate(customers) if customers else np.zeros(0)
        t = np.concatenate(times) if times else np.zeros(0, np.int64)
        inside = (t >= window_start) & (t < window_end)
        _, codes = np.unique(ids[inside], return_inverse=True)
        t = t[inside]
        # Distinct (customer, time) pairs are orders; a repeat customer has
        # two or more.
        order = np.lexsort((t, codes))
        codes, t = codes[order], t[order]
        new_order = np.ones(codes.size, dtype=bool)
        new_order[1:] = (codes[1:] != codes[:-1]) | (t[1:] != t[:-1])
        orders = np.bincount(codes[new_order])
        buyers = int(np.count_nonzero(orders))
        repeat = int(np.count_nonzero(orders >= 2))
        rate(result, "repeat_purchase_rate", repeat, buyers,
             "customers is 0: no order falls in the window")
        result.sample_size = buyers
        return count


def _chain(first, rest):
    yield first
    yield from rest


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--gen-dir", required=True)
    parser.add_argument("--listen", default="127.0.0.1:0")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 2)
    args = parser.parse_args()
    sys.path.insert(0, args.gen_dir)
    from kpi.v1 import metric_service_pb2 as pb
    from kpi.v1 import metric_service_pb2_grpc as pb_grpc

    service = Service(pb, pb_grpc)
    server = grpc.server(
        futures.ThreadPoolExecutor(max_workers=args.workers),
        options=[("grpc.max_receive_message_length", 4 * 1024 * 1024)])
    pb_grpc.add_MetricServiceServicer_to_server(service.servicer, server)
    port = server.add_insecure_port(args.listen)
    server.start()
    print(f"py-service: serving on port {port}", file=sys.stderr, flush=True)
    stop = threading.Event()
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda *_: stop.set())
    stop.wait()
    server.stop(grace=None)


if __name__ == "__main__":
    main()
