"""kpi-service from Python: every metric the server serves, bundled or from
a team's plugin, as a method of `Client`.

    from kpi_client import Client
    with Client("localhost:50051") as kpi:
        print(kpi.nps([10, 9, 0]).value)   # 33.33...

See docs/clients.md.
"""
from kpi_client.client import Client
from kpi_client.errors import KpiError
from kpi_client.result import Interval, Result

__all__ = ["Client", "Interval", "KpiError", "Result"]
