"""Python values to kpi.v1 columns and values, by the types a metric
declares (kpi.v1.MetricInfo)."""
import datetime
import numbers
from typing import Dict, Iterable, List, Mapping

from google.protobuf import timestamp_pb2

from kpi.v1 import metric_service_pb2 as service_pb2
from kpi.v1 import values_pb2

_EPOCH = datetime.datetime(1970, 1, 1, tzinfo=datetime.timezone.utc)


def micros(value) -> int:
    """A timestamp as microseconds since the epoch: a datetime (naive means
    UTC), a pandas Timestamp, a numpy datetime64, or an int (already
    microseconds)."""
    if isinstance(value, numbers.Integral):
        return int(value)
    if hasattr(value, "to_pydatetime"):  # pandas.Timestamp
        value = value.to_pydatetime()
    elif type(value).__name__ == "datetime64":  # numpy.datetime64
        return int(value.astype("datetime64[us]").astype("int64"))
    if isinstance(value, datetime.date) and not isinstance(
            value, datetime.datetime):
        value = datetime.datetime(value.year, value.month, value.day)
    if value.tzinfo is None:
        value = value.replace(tzinfo=datetime.timezone.utc)
    delta = value - _EPOCH
    return (delta.days * 86_400 + delta.seconds) * 1_000_000 + \
        delta.microseconds


def _sequence(values) -> list:
    """A column's values as a list (a pandas Series or numpy array too)."""
    return values.tolist() if hasattr(values, "tolist") else list(values)


def column(name: str, value_type: int, values) -> values_pb2.Column:
    """One input column; `value_type` is a kpi.v1.ValueType (None for a
    group_by column the metric does not declare: strings, or int64s)."""
    values = _sequence(values)
    out = values_pb2.Column(name=name)
    if value_type == service_pb2.VALUE_TYPE_DOUBLE:
        out.doubles.values.extend(float(v) for v in values)
    elif value_type == service_pb2.VALUE_TYPE_INT64:
        out.int64s.values.extend(int(v) for v in values)
    elif value_type == service_pb2.VALUE_TYPE_TIMESTAMP:
        out.timestamps.unix_micros.extend(micros(v) for v in values)
    elif value_type in (service_pb2.VALUE_TYPE_KEY, None) and values and all(
            isinstance(v, numbers.Integral) for v in values):
        out.int64s.values.extend(int(v) for v in values)
    else:  # STRING, and keys or segments given as text
        out.strings.values.extend(str(v) for v in values)
    return out


def value(value_type: int, v) -> values_pb2.Value:
    """One scalar or parameter value."""
    out = values_pb2.Value()
    if isinstance(v, bool):
        out.bool_value = v
    elif value_type == service_pb2.VALUE_TYPE_TIMESTAMP or isinstance(
            v, (datetime.date, datetime.datetime)):
        total = micros(v)
        out.timestamp_value.CopyFrom(timestamp_pb2.Timestamp(
            seconds=total // 1_000_000, nanos=(total % 1_000_000) * 1000))
    elif isinstance(v, numbers.Integral):
        out.int64_value = int(v)
    elif isinstance(v, numbers.Real):
        out.double_value = float(v)
    else:
        out.string_value = str(v)
    return out


def rows_of(columns: Mapping[str, list]) -> int:
    """The common length of `columns`; ValueError naming one that differs."""
    lengths = {name: len(values) for name, values in columns.items()}
    if len(set(lengths.values())) > 1:
        raise ValueError("columns differ in length: " + ", ".join(
            f"{name} has {n}" for name, n in sorted(lengths.items())))
    return next(iter(lengths.values()), 0)


def as_columns(data) -> Dict[str, list]:
    """A pandas DataFrame or a mapping of name -> values, as name -> list."""
    if data is None:
        return {}
    if hasattr(data, "columns") and hasattr(data, "__getitem__"):
        return {str(c): _sequence(data[c]) for c in data.columns}
    if isinstance(data, Mapping):
        return {str(k): _sequence(v) for k, v in data.items()}
    raise TypeError("data must be a pandas DataFrame or a mapping of column "
                    "name to values")


def chunked(columns: Dict[str, list], rows: int,
            chunk_rows: int) -> Iterable[Dict[str, list]]:
    """`columns` in slices of at most `chunk_rows` rows (one, empty, for
    zero rows)."""
    for start in range(0, max(rows, 1), chunk_rows):
        yield {name: values[start:start + chunk_rows]
               for name, values in columns.items()}


def declared_types(info) -> Dict[str, int]:
    return {i.name: i.type for i in info.inputs}


def columns_to_proto(info, columns: Dict[str, list]) -> List[values_pb2.Column]:
    types = declared_types(info)
    return [column(name, types.get(name), values)
            for name, values in columns.items()]
