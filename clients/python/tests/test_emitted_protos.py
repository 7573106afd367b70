"""A team's plugin, loaded at run time, called through Python stubs that
protoc generates from the .proto files the server sends (GetMetricProtos) --
the way a team in any language gets typed stubs -- and again after a reload
that appends an input to its metric.

The plugin is the reload fixture (tests/fixtures/sum_plugin.c): metric
fixture_reload_sum, the sum of `values`; version 1.1.0 appends `offsets`,
added to the sum. Stubs run in a child interpreter each, since two versions
of one .proto file cannot share a process's descriptor pool."""
import json
import os
import shutil
import subprocess
import sys

import grpc
import pytest

from conftest import running_server
from kpi.v1 import admin_service_pb2
from kpi.v1 import admin_service_pb2_grpc
from kpi.v1 import metric_service_pb2
from kpi.v1 import metric_service_pb2_grpc

PLUGIN_FILE = "kpi/plugins/fixture_reload/v1/fixture_reload.proto"

CALL = """
import json, sys
import grpc
from kpi.plugins.fixture_reload.v1 import fixture_reload_pb2 as messages
from kpi.plugins.fixture_reload.v1 import fixture_reload_pb2_grpc as services
fields = json.loads(sys.argv[2])
with grpc.insecure_channel(sys.argv[1]) as channel:
    stub = services.FixtureReloadServiceStub(channel)
    try:
        answer = stub.ComputeFixtureReloadSum(
            messages.ComputeFixtureReloadSumRequest(**fields), timeout=30)
    except ValueError as error:   # a field these stubs do not have
        print(json.dumps({"error": str(error)}))
        sys.exit(0)
print(json.dumps({"value": answer.result.value,
                  "metric": answer.result.metric}))
"""


def install(plugin_dir, fixture):
    shutil.copy(os.path.join(os.environ["KPI_RELOAD_FIXTURE_DIR"],
                             fixture + ".so"),
                os.path.join(plugin_dir, "reload.so"))


def generate_stubs(target, out_dir):
    """Asks the server for the plugin's .proto files, writes them, and runs
    protoc with grpc_python_plugin over them alone (no proto/ checkout)."""
    with grpc.insecure_channel(target) as channel:
        answer = metric_service_pb2_grpc.MetricServiceStub(
            channel).GetMetricProtos(
                metric_service_pb2.GetMetricProtosRequest(
                    plugins=["fixture_reload"]), timeout=30)
    protos = out_dir / "protos"
    paths = []
    for file in answer.files:
        path = protos / file.path
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(file.content)
        paths.append(str(path))
    assert [f.path for f in answer.files] == [
        PLUGIN_FILE, "kpi/v1/result.proto", "kpi/v1/values.proto"]
    stubs = out_dir / "stubs"
    stubs.mkdir()
    subprocess.run(
        [os.environ["KPI_PROTOC"], f"--proto_path={protos}",
         f"--python_out={stubs}", f"--grpc_python_out={stubs}",
         f"--plugin=protoc-gen-grpc_python={os.environ['KPI_GRPC_PYTHON_PLUGIN']}",
         *paths], check=True)
    return stubs, (protos / PLUGIN_FILE).read_text()


def call(stubs, target, **fields):
    """ComputeFixtureReloadSum through the stubs in `stubs`."""
    run = subprocess.run(
        [sys.executable, "-c", CALL, target, json.dumps(fields)],
        env={**os.environ, "PYTHONPATH": str(stubs)},
        capture_output=True, text=True, check=True)
    return json.loads(run.stdout)


def reload(target):
    with grpc.insecure_channel(target) as channel:
        return admin_service_pb2_grpc.AdminServiceStub(channel).Reload(
            admin_service_pb2.ReloadRequest(), timeout=30)


@pytest.fixture
def plugin_dir(tmp_path):
    directory = tmp_path / "plugins"
    directory.mkdir(mode=0o755)
    install(directory, "reload_v1")
    return directory


def test_stubs_from_the_emitted_protos_call_a_plugins_typed_method(
        plugin_dir, tmp_path):
    with running_server(plugin_dir) as target:
        stubs, proto = generate_stubs(target, tmp_path / "v1")
        assert "rpc ComputeFixtureReloadSum(" in proto
        assert call(stubs, target, values=[1, 2, 4.5]) == {
            "value": 7.5, "metric": "fixture_reload_sum"}


def test_after_a_reload_that_adds_an_input_new_and_old_stubs_work(
        plugin_dir, tmp_path):
    with running_server(plugin_dir) as target:
        old_stubs, old_proto = generate_stubs(target, tmp_path / "v1")
        assert "offsets" not in old_proto

        install(plugin_dir, "reload_v1_1")
        changes = reload(target).changes
        assert len(changes) == 1

        new_stubs, new_proto = generate_stubs(target, tmp_path / "v1_1")
        assert "repeated double offsets = 4;" in new_proto
        # The new input is summed too.
        assert call(new_stubs, target, values=[1, 2],
                    offsets=[10, 20])["value"] == 33
        # Stubs generated before the reload keep their path and numbers...
        assert call(old_stubs, target, values=[1, 2])["value"] == 3
        # ...and simply do not know the new field.
        assert "offsets" in call(old_stubs, target, values=[1],
                                 offsets=[1])["error"]
