"""Client: kpi-service's metrics as Python methods."""
import functools
from typing import Dict, List, Mapping, Optional, Sequence

import grpc

from kpi.v1 import metric_service_pb2 as service_pb2
from kpi.v1 import metric_service_pb2_grpc as service_grpc
from kpi_client import columns as cols
from kpi_client.errors import KpiError
from kpi_client.result import Result, from_proto


class Client:
    """A connection to kpi-server.

    target: "host:port". token: a bearer token (kpi-server --tokens-file).
    tls: True for TLS with the system's roots, or the PEM bytes of the CA to
    trust; None or False for plaintext (loopback and trusted networks).
    timeout: seconds per call. chunk_rows: rows per message when a call is
    streamed (bigger inputs than that go as a ComputeStream).

    Every metric the server serves is a method: `client.nps(scores)`,
    `client.rfm(df, parameters={"as_of": datetime(...)})`, and so is a
    team's plugin metric, by its name. `client.compute(name, ...)` is the
    same call with the name as a string.
    """

    def __init__(self, target: str, *, token: Optional[str] = None,
                 tls=None, timeout: float = 30.0, chunk_rows: int = 50_000):
        if tls:
            roots = None if tls is True else tls
            credentials = grpc.ssl_channel_credentials(root_certificates=roots)
            if token:
                credentials = grpc.composite_channel_credentials(
                    credentials, grpc.access_token_call_credentials(token))
            self._channel = grpc.secure_channel(target, credentials)
            self._metadata = ()
        else:
            self._channel = grpc.insecure_channel(target)
            # Call credentials need TLS; on plaintext the token goes as
            # metadata (what kpi-server reads either way).
            self._metadata = (("authorization", f"Bearer {token}"),) \
                if token else ()
        self._stub = service_grpc.MetricServiceStub(self._channel)
        self._timeout = timeout
        self._chunk_rows = chunk_rows
        self._infos: Dict[str, object] = {}

    def close(self) -> None:
        self._channel.close()

    def __enter__(self) -> "Client":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def _call(self, method, request):
        try:
            return method(request, timeout=self._timeout,
                          metadata=self._metadata)
        except grpc.RpcError as error:
            raise KpiError.from_rpc_error(error) from None

    def metrics(self) -> List[str]:
        """The names of the metrics the server serves now."""
        response = self._call(self._stub.ListMetrics,
                              service_pb2.ListMetricsRequest())
        self._infos = {m.name: m for m in response.metrics}
        return sorted(self._infos)

    def describe(self, metric: str):
        """The metric's declaration (kpi.v1.MetricInfo): inputs, their types
        and forms, parameters and their defaults."""
        if metric not in self._infos:
            response = self._call(
                self._stub.DescribeMetric,
                service_pb2.DescribeMetricRequest(metric=metric))
            self._infos[metric] = response.metric
        return self._infos[metric]

    def __getattr__(self, name: str):
        if name.startswith("_"):
            raise AttributeError(name)
        if name not in self._infos:
            self.metrics()
        if name not in self._infos:
            raise AttributeError(
                f"the server serves no metric {name!r} (Client.metrics() "
                f"lists them)")
        return functools.partial(self.compute, name)

    def compute(self, metric: str, data=None, *,
                parameters: Optional[Mapping[str, object]] = None,
                group_by: Sequence[str] = (), profile: str = "",
                **inputs) -> Result:
        """Computes `metric`.

        data: a pandas DataFrame or a mapping of column name -> values, or,
        for a metric with exactly one column input, the values themselves.
        inputs: more columns by name (sequences), and scalar inputs (single
        values). parameters: name -> value (datetime for a timestamp).
        group_by: columns that split the result into segments (they need
        not be inputs). Raises KpiError with the server's code and the field
        and row it names.
        """
        info = self.describe(metric)
        column_inputs = [i for i in info.inputs
                         if i.kind == service_pb2.INPUT_KIND_COLUMN]
        if data is not None and not hasattr(data, "columns") and \
                not isinstance(data, Mapping):
            if len(column_inputs) != 1:
                raise TypeError(
                    f"{metric} has {len(column_inputs)} column inputs; pass "
                    f"a DataFrame, a mapping, or the columns by name")
            data = {column_inputs[0].name: data}
        columns = cols.as_columns(data)
        scalar_types = {i.name: i.type for i in info.inputs
                        if i.kind == service_pb2.INPUT_KIND_SCALAR}
        scalars = {}
        for name, given in inputs.items():
            if name in scalar_types:
                scalars[name] = cols.value(scalar_types[name], given)
            else:
                columns[name] = cols._sequence(given)
        parameter_types = {p.name: p.type for p in info.parameters}
        parameter_values = {name: cols.value(parameter_types.get(name), v)
                            for name, v in (parameters or {}).items()}
        rows = cols.rows_of(columns)
        first = dict(metric=metric, scalars=scalars,
                     parameters=parameter_values, group_by=list(group_by),
                     profile=profile)
        if rows <= self._chunk_rows:
            request = service_pb2.ComputeRequest(
                columns=cols.columns_to_proto(info, columns), **first)
            response = self._call(self._stub.Compute, request)
        else:
            def chunks():
                for i, chunk in enumerate(
                        cols.chunked(columns, rows, self._chunk_rows)):
                    yield service_pb2.ComputeStreamRequest(
                        columns=cols.columns_to_proto(info, chunk),
                        **(first if i == 0 else {}))
            response = self._call(self._stub.ComputeStream, chunks())
        return from_proto(response.result, list(group_by))
