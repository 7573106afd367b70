"""Result: a metric's answer as Python values (kpi.v1.MetricResult)."""
from dataclasses import dataclass, field
from typing import Dict, List, Optional, Tuple

from kpi.v1 import result_pb2

try:  # DataFrames when pandas is there; plain dicts of lists otherwise
    import pandas
except ImportError:  # pragma: no cover - exercised where pandas is absent
    pandas = None


@dataclass(frozen=True)
class Interval:
    """A confidence interval (NPS's margin of error, for one)."""
    lower: float
    upper: float
    margin: float
    standard_error: float
    confidence_level: float


@dataclass(frozen=True)
class Result:
    """value is None when the metric is undefined for the data (no rows,
    a zero denominator); undefined_reason then says why. tables and
    segments are DataFrames when pandas is installed, else dicts of lists
    (tables) and a list of (key, Result) pairs (segments)."""
    metric: str
    value: Optional[float]
    unit: str = ""
    undefined_reason: str = ""
    ratio: Optional[Tuple[float, float]] = None
    interval: Optional[Interval] = None
    warnings: List[str] = field(default_factory=list)
    sample_size: float = 0.0
    plugin: str = ""
    plugin_version: str = ""
    tables: Dict[str, object] = field(default_factory=dict)
    segments: object = None

    @property
    def defined(self) -> bool:
        return self.value is not None


def column_values(column) -> list:
    """The values of a kpi.v1.Column, in row order; timestamps as
    microseconds since the epoch, keys as their text."""
    kind = column.WhichOneof("values")
    if kind == "timestamps":
        return list(column.timestamps.unix_micros)
    if kind == "keys":
        return [column.keys.entries[c] for c in column.keys.codes]
    if kind is None:
        return []
    return list(getattr(column, kind).values)


def _table(table):
    columns = {c.name: column_values(c) for c in table.columns}
    return pandas.DataFrame(columns) if pandas is not None else columns


def from_proto(message: result_pb2.MetricResult,
               group_by: List[str] = ()) -> Result:
    segments = [(tuple(s.key), from_proto(s.result)) for s in message.segments]
    if pandas is not None and message.segments:
        rows = [dict(zip(group_by, key), value=r.value, sample_size=r.sample_size,
                     undefined_reason=r.undefined_reason)
                for key, r in segments]
        segments = pandas.DataFrame(rows)
    interval = None
    if message.HasField("interval"):
        i = message.interval
        interval = Interval(i.lower, i.upper, i.margin, i.standard_error,
                            i.confidence_level)
    ratio = None
    if message.HasField("ratio"):
        ratio = (message.ratio.numerator, message.ratio.denominator)
    return Result(
        metric=message.metric,
        value=message.value if message.HasField("value") else None,
        unit=message.unit,
        undefined_reason=message.undefined_reason,
        ratio=ratio,
        interval=interval,
        warnings=list(message.warnings),
        sample_size=message.sample_size,
        plugin=message.plugin,
        plugin_version=message.plugin_version,
        tables={t.name: _table(t) for t in message.tables},
        segments=segments if message.segments else None,
    )
