"""A real kpi-server with the bundled plugins, on a loopback port, for the
whole test session (KPI_SERVER_BINARY and KPI_PLUGIN_DIR, set by ctest)."""
import contextlib
import os
import re
import subprocess
import threading

import pytest

from kpi_client import Client


@contextlib.contextmanager
def running_server(plugin_dir):
    """kpi-server on a free loopback port serving `plugin_dir`: yields its
    HOST:PORT, and stops it after."""
    process = subprocess.Popen(
        [os.environ["KPI_SERVER_BINARY"], "--listen", "127.0.0.1:0",
         "--plugin-dir", str(plugin_dir)],
        stderr=subprocess.PIPE, text=True)
    port = None
    for line in process.stderr:
        found = re.search(r"serving .* on port (\d+)", line)
        if found:
            port = int(found.group(1))
            break
    assert port is not None, "kpi-server did not start"
    # Keep reading its log so the server never blocks on a full pipe.
    threading.Thread(target=lambda: [None for _ in process.stderr],
                     daemon=True).start()
    try:
        yield f"127.0.0.1:{port}"
    finally:
        process.terminate()
        process.wait(timeout=15)


@pytest.fixture(scope="session")
def server():
    with running_server(os.environ["KPI_PLUGIN_DIR"]) as target:
        yield target


@pytest.fixture
def kpi(server):
    with Client(server) as client:
        yield client
