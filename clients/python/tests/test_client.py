"""kpi_client against a live kpi-server: the catalog's worked examples
through the idiomatic layer, DataFrames in and out, streaming, segments,
errors."""
import datetime

import grpc
import pandas
import pytest

from kpi_client import Client, KpiError


def test_nps_worked_example_with_its_interval(kpi):
    # Catalog: 50 promoters, 30 passives, 20 detractors of 100 -> NPS 30,
    # SE 7.81, 95% margin +-15.3.
    result = kpi.nps([10] * 50 + [8] * 30 + [3] * 20)
    assert result.value == pytest.approx(30.0)
    assert result.interval.standard_error == pytest.approx(7.81, abs=0.005)
    assert result.interval.margin == pytest.approx(15.3, abs=0.05)
    assert result.interval.confidence_level == pytest.approx(0.95)
    assert result.defined and result.plugin == "survey"


def test_scalar_inputs_and_parameters(kpi):
    # 100 customers at the start, 5 lost -> churn 5%.
    result = kpi.churn_rate(customers_at_start=100, customers_lost=5)
    assert result.value == pytest.approx(5.0)
    csat = kpi.compute("csat", [5] * 10 + [4] * 20 + [3] * 10 + [2] * 5 +
                       [1] * 5, parameters={"threshold": 4})
    assert csat.value == pytest.approx(60.0)


def test_every_metric_is_a_method(kpi):
    names = kpi.metrics()
    assert "nps" in names and "rfm" in names
    with pytest.raises(AttributeError, match="serves no metric 'no_such'"):
        kpi.no_such


def test_records_from_a_dataframe_with_tables_as_dataframes(kpi):
    purchases = pandas.DataFrame({
        "customer": ["a", "a", "b", "c", "c", "c"],
        "time": pandas.to_datetime([
            "2024-01-05", "2024-03-01", "2024-02-10", "2024-01-20",
            "2024-02-20", "2024-03-25"]),
        "amount": [10.0, 20.0, 5.0, 7.0, 8.0, 9.0],
    })
    result = kpi.rfm(purchases, parameters={
        "as_of": datetime.datetime(2024, 4, 1)})
    assert result.value == 3
    customers = result.tables["customers"]
    assert isinstance(customers, pandas.DataFrame)
    assert list(customers["customer"]) == ["a", "b", "c"]
    assert list(customers["frequency"]) == [2, 1, 3]
    assert customers["monetary"].tolist() == pytest.approx([30.0, 5.0, 24.0])


def test_a_large_input_is_streamed_and_gives_the_same_answer(server):
    scores = [10, 9, 0, 7] * 25_000  # 100,000 rows
    with Client(server, chunk_rows=10_000) as streamed, Client(
            server, chunk_rows=1_000_000) as whole:
        assert streamed.nps(scores) == whole.nps(scores)
        assert streamed.nps(scores).value == pytest.approx(25.0)


def test_group_by_segments_as_a_dataframe(kpi):
    result = kpi.nps({"scores": [10, 10, 0, 0, 9],
                      "region": ["north", "north", "south", "south",
                                 "north"]}, group_by=["region"])
    segments = result.segments.set_index("region")["value"]
    assert segments["north"] == pytest.approx(100.0)
    assert segments["south"] == pytest.approx(-100.0)
    assert result.value == pytest.approx(20.0)


def test_bad_input_raises_with_the_field_and_row(kpi):
    with pytest.raises(KpiError) as caught:
        kpi.nps([10, 9, 11, 3])
    error = caught.value
    assert error.code == grpc.StatusCode.INVALID_ARGUMENT
    assert error.field == "scores"
    assert error.row == 2
    assert "scores" in str(error)


def test_rows_of_a_stream_are_counted_over_the_whole_call(server):
    with Client(server, chunk_rows=2) as kpi:
        with pytest.raises(KpiError) as caught:
            kpi.nps([10, 9, 0, 1, 42])
    assert caught.value.code == grpc.StatusCode.INVALID_ARGUMENT
    assert caught.value.field == "scores"
    assert caught.value.row == 4


def test_an_unknown_metric_by_name_is_not_found(kpi):
    with pytest.raises(KpiError) as caught:
        kpi.compute("no_such_metric", [1])
    assert caught.value.code == grpc.StatusCode.NOT_FOUND


def test_undefined_results_say_why(kpi):
    result = kpi.nps([])
    assert result.value is None and not result.defined
    assert result.undefined_reason


def test_a_plugins_typed_service_from_its_generated_stubs(server):
    # kpi.plugins.survey.v1, made from the survey plugin's declarations and
    # checked in under proto/kpi/plugins: the same answer as kpi.v1's nps.
    from kpi.plugins.survey.v1 import survey_pb2, survey_pb2_grpc
    with grpc.insecure_channel(server) as channel:
        stub = survey_pb2_grpc.SurveyServiceStub(channel)
        request = survey_pb2.ComputeNpsRequest(
            scores=[10] * 50 + [8] * 30 + [3] * 20)
        request.parameters.promoter_min = 9
        answer = stub.ComputeNps(request, timeout=30)
    assert answer.result.value == pytest.approx(30.0)
    assert answer.result.metric == "nps"
    with Client(server) as kpi:
        assert kpi.nps([10] * 50 + [8] * 30 + [3] * 20).value == \
            pytest.approx(answer.result.value)

