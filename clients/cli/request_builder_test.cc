#include "request_builder.h"

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "cli_status.h"
#include "google/protobuf/util/message_differencer.h"
#include "gtest/gtest.h"
#include "input_json.h"
#include "text_proto_for_test.h"

namespace kpi::cli {
namespace {

using ::kpi::v1::ComputeRequest;
using ::kpi::v1::MetricInfo;

// The metrics below mirror the bundled plugins' declarations, trimmed to
// what the builder reads.
MetricInfo ChurnRate() {
  return ParseText<MetricInfo>(R"pb(
    name: "churn_rate"
    inputs {
      name: "customers_at_start"
      type: VALUE_TYPE_INT64
      kind: INPUT_KIND_SCALAR
      required: true
    }
    inputs {
      name: "customers_lost"
      type: VALUE_TYPE_INT64
      kind: INPUT_KIND_SCALAR
      required: true
    }
  )pb");
}

MetricInfo Nps() {
  return ParseText<MetricInfo>(R"pb(
    name: "nps"
    inputs {
      name: "scores"
      type: VALUE_TYPE_DOUBLE
      kind: INPUT_KIND_COLUMN
      required: true
      integral: true
    }
    parameters { name: "promoter_min" type: VALUE_TYPE_INT64 }
    parameters { name: "detractor_max" type: VALUE_TYPE_INT64 }
    parameters { name: "confidence_level" type: VALUE_TYPE_DOUBLE }
  )pb");
}

// A metric with every kind of input and parameter the CLI can send.
MetricInfo Everything() {
  return ParseText<MetricInfo>(R"pb(
    name: "everything"
    inputs { name: "amounts" type: VALUE_TYPE_DOUBLE kind: INPUT_KIND_COLUMN }
    inputs { name: "counts" type: VALUE_TYPE_INT64 kind: INPUT_KIND_COLUMN }
    inputs { name: "labels" type: VALUE_TYPE_STRING kind: INPUT_KIND_COLUMN }
    inputs { name: "times" type: VALUE_TYPE_TIMESTAMP kind: INPUT_KIND_COLUMN }
    inputs { name: "total" type: VALUE_TYPE_DOUBLE kind: INPUT_KIND_SCALAR }
    inputs { name: "start" type: VALUE_TYPE_TIMESTAMP kind: INPUT_KIND_SCALAR }
    parameters { name: "mode" type: VALUE_TYPE_STRING }
    parameters { name: "lower_is_better" type: VALUE_TYPE_BOOL }
  )pb");
}

google::protobuf::Struct Json(const std::string& text) {
  absl::StatusOr<google::protobuf::Struct> json = ParseInputJson(text);
  EXPECT_TRUE(json.ok()) << json.status();
  return json.value_or(google::protobuf::Struct());
}

void ExpectRequest(const absl::StatusOr<ComputeRequest>& actual,
                   const std::string& expected_text) {
  ASSERT_TRUE(actual.ok()) << actual.status();
  const ComputeRequest expected = ParseText<ComputeRequest>(expected_text);
  EXPECT_TRUE(
      google::protobuf::util::MessageDifferencer::Equals(*actual, expected))
      << "actual:\n"
      << actual->DebugString() << "expected:\n"
      << expected.DebugString();
}

void ExpectUsageError(const absl::StatusOr<ComputeRequest>& actual,
                      const std::string& message) {
  ASSERT_FALSE(actual.ok());
  EXPECT_EQ(actual.status().message(), message);
  EXPECT_EQ(ExitCodeFor(actual.status()), ExitCode::kUsage);
}

TEST(BuildComputeRequestTest, ScalarsFromArguments) {
  ExpectRequest(BuildComputeRequest(
                    ChurnRate(),
                    {"customers_at_start=1000", "customers_lost=50"}, nullptr),
                R"pb(
                  metric: "churn_rate"
                  scalars {
                    key: "customers_at_start"
                    value { int64_value: 1000 }
                  }
                  scalars {
                    key: "customers_lost"
                    value { int64_value: 50 }
                  }
                )pb");
}

TEST(BuildComputeRequestTest, ColumnAndParametersFromArguments) {
  ExpectRequest(
      BuildComputeRequest(
          Nps(), {"scores=10,9,3,7", "confidence_level=0.9", "promoter_min=8"},
          nullptr),
      R"pb(
        metric: "nps"
        columns {
          name: "scores"
          doubles { values: [ 10, 9, 3, 7 ] }
        }
        parameters {
          key: "confidence_level"
          value { double_value: 0.9 }
        }
        parameters {
          key: "promoter_min"
          value { int64_value: 8 }
        }
      )pb");
}

TEST(BuildComputeRequestTest, EmptyValueIsAColumnWithNoRows) {
  ExpectRequest(BuildComputeRequest(Nps(), {"scores="}, nullptr),
                R"pb(
                  metric: "nps"
                  columns {
                    name: "scores"
                    doubles {}
                  }
                )pb");
}

TEST(BuildComputeRequestTest, SpacesAroundNumbersAreIgnored) {
  ExpectRequest(BuildComputeRequest(Nps(), {"scores=10, 9 ,3"}, nullptr),
                R"pb(
                  metric: "nps"
                  columns {
                    name: "scores"
                    doubles { values: [ 10, 9, 3 ] }
                  }
                )pb");
}

TEST(BuildComputeRequestTest, EveryTypeFromArguments) {
  ExpectRequest(
      BuildComputeRequest(
          Everything(),
          {"start=2024-01-31T00:00:00.5Z", "labels=a b,c", "counts=1,-2,1e3",
           "amounts=1.5,-0.25", "times=2024-01-31T00:00:00Z,1706659200000001",
           "total=12", "mode=mean", "lower_is_better=TRUE"},
          nullptr),
      R"pb(
        metric: "everything"
        columns {
          name: "amounts"
          doubles { values: [ 1.5, -0.25 ] }
        }
        columns {
          name: "counts"
          int64s { values: [ 1, -2, 1000 ] }
        }
        columns {
          name: "labels"
          strings { values: [ "a b", "c" ] }
        }
        columns {
          name: "times"
          timestamps { unix_micros: [ 1706659200000000, 1706659200000001 ] }
        }
        scalars {
          key: "total"
          value { double_value: 12 }
        }
        scalars {
          key: "start"
          value { timestamp_value { seconds: 1706659200 nanos: 500000000 } }
        }
        parameters {
          key: "mode"
          value { string_value: "mean" }
        }
        parameters {
          key: "lower_is_better"
          value { bool_value: true }
        }
      )pb");
}

TEST(BuildComputeRequestTest, TimestampBeforeTheEpochHasPositiveNanos) {
  ExpectRequest(BuildComputeRequest(Everything(), {"start=-1"}, nullptr),
                R"pb(
                  metric: "everything"
                  scalars {
                    key: "start"
                    value { timestamp_value { seconds: -1 nanos: 999999000 } }
                  }
                )pb");
}

TEST(BuildComputeRequestTest, DateAloneIsMidnightUtc) {
  ExpectRequest(
      BuildComputeRequest(Everything(), {"times=2024-01-31"}, nullptr),
      R"pb(
        metric: "everything"
        columns {
          name: "times"
          timestamps { unix_micros: 1706659200000000 }
        }
      )pb");
}

TEST(BuildComputeRequestTest, LaterArgumentWins) {
  ExpectRequest(
      BuildComputeRequest(ChurnRate(), {"customers_lost=1", "customers_lost=2"},
                          nullptr),
      R"pb(
        metric: "churn_rate"
        scalars {
          key: "customers_lost"
          value { int64_value: 2 }
        }
      )pb");
}

TEST(BuildComputeRequestTest, ValueMayContainEquals) {
  ExpectRequest(BuildComputeRequest(Everything(), {"mode=a=b"}, nullptr),
                R"pb(
                  metric: "everything"
                  parameters {
                    key: "mode"
                    value { string_value: "a=b" }
                  }
                )pb");
}

TEST(BuildComputeRequestTest, UnknownNameListsTheValidNames) {
  ExpectUsageError(
      BuildComputeRequest(Nps(), {"scores=1", "score=1"}, nullptr),
      "nps has no input or parameter named \"score\"; valid names: scores, "
      "promoter_min, detractor_max, confidence_level");
}

TEST(BuildComputeRequestTest, UnknownJsonKeyListsTheValidNames) {
  const google::protobuf::Struct json = Json(R"({"customers": 3})");
  ExpectUsageError(BuildComputeRequest(ChurnRate(), {}, &json),
                   "churn_rate has no input or parameter named \"customers\"; "
                   "valid names: customers_at_start, customers_lost");
}

TEST(BuildComputeRequestTest, ArgumentWithoutEqualsIsAnError) {
  ExpectUsageError(BuildComputeRequest(Nps(), {"scores"}, nullptr),
                   "expected NAME=VALUE, got \"scores\"");
  ExpectUsageError(BuildComputeRequest(Nps(), {"=10"}, nullptr),
                   "expected NAME=VALUE, got \"=10\"");
}

TEST(BuildComputeRequestTest, BadColumnItemIsNamedByPosition) {
  ExpectUsageError(BuildComputeRequest(Nps(), {"scores=10,9,x,7"}, nullptr),
                   "scores: item 3 \"x\" is not a number");
  ExpectUsageError(BuildComputeRequest(Nps(), {"scores=10,,7"}, nullptr),
                   "scores: item 2 \"\" is not a number");
  ExpectUsageError(BuildComputeRequest(Nps(), {"scores=1,inf"}, nullptr),
                   "scores: item 2 \"inf\" is not a finite number");
  ExpectUsageError(BuildComputeRequest(Everything(), {"counts=1,2.5"}, nullptr),
                   "counts: item 2 \"2.5\" is not a whole number");
  ExpectUsageError(
      BuildComputeRequest(Everything(), {"times=2024-01-31T00:00:00Z,later"},
                          nullptr),
      "times: item 2 \"later\" is not a timestamp (want RFC 3339 like "
      "2024-01-31T00:00:00Z, or unix microseconds)");
}

TEST(BuildComputeRequestTest, BadSingleValueIsNamed) {
  ExpectUsageError(
      BuildComputeRequest(ChurnRate(), {"customers_at_start=abc"}, nullptr),
      "customers_at_start: \"abc\" is not a number");
  ExpectUsageError(
      BuildComputeRequest(ChurnRate(), {"customers_at_start=10.5"}, nullptr),
      "customers_at_start: \"10.5\" is not a whole number");
  ExpectUsageError(
      BuildComputeRequest(ChurnRate(), {"customers_lost=1e19"}, nullptr),
      "customers_lost: \"1e19\" is out of range for a 64-bit integer");
  ExpectUsageError(
      BuildComputeRequest(Everything(), {"lower_is_better=yes"}, nullptr),
      "lower_is_better: \"yes\" is not true or false");
}

TEST(BuildComputeRequestTest, JsonGivesColumnsScalarsAndParameters) {
  const google::protobuf::Struct json = Json(
      R"({"scores": [10, 9, 3], "confidence_level": 0.9, "promoter_min": 9,
          "detractor_max": null})");
  ExpectRequest(BuildComputeRequest(Nps(), {}, &json), R"pb(
    metric: "nps"
    columns {
      name: "scores"
      doubles { values: [ 10, 9, 3 ] }
    }
    parameters {
      key: "confidence_level"
      value { double_value: 0.9 }
    }
    parameters {
      key: "promoter_min"
      value { int64_value: 9 }
    }
  )pb");
}

TEST(BuildComputeRequestTest, JsonStringsAndNumbersForEveryType) {
  const google::protobuf::Struct json = Json(R"({
      "amounts": ["1.5", 2],
      "counts": ["9007199254740993", 4.0],
      "labels": ["a,b", ""],
      "times": ["2024-01-31T01:00:00+01:00", 1706659200000001],
      "total": 7,
      "mode": "percent",
      "lower_is_better": false})");
  ExpectRequest(BuildComputeRequest(Everything(), {}, &json), R"pb(
    metric: "everything"
    columns {
      name: "amounts"
      doubles { values: [ 1.5, 2 ] }
    }
    columns {
      name: "counts"
      int64s { values: [ 9007199254740993, 4 ] }
    }
    columns {
      name: "labels"
      strings { values: [ "a,b", "" ] }
    }
    columns {
      name: "times"
      timestamps { unix_micros: [ 1706659200000000, 1706659200000001 ] }
    }
    scalars {
      key: "total"
      value { double_value: 7 }
    }
    parameters {
      key: "mode"
      value { string_value: "percent" }
    }
    parameters {
      key: "lower_is_better"
      value { bool_value: false }
    }
  )pb");
}

TEST(BuildComputeRequestTest, ArgumentsWinOverJson) {
  const google::protobuf::Struct json =
      Json(R"({"customers_at_start": 1000, "customers_lost": 7})");
  ExpectRequest(BuildComputeRequest(ChurnRate(), {"customers_lost=50"}, &json),
                R"pb(
                  metric: "churn_rate"
                  scalars {
                    key: "customers_at_start"
                    value { int64_value: 1000 }
                  }
                  scalars {
                    key: "customers_lost"
                    value { int64_value: 50 }
                  }
                )pb");
}

TEST(BuildComputeRequestTest, ArgumentReplacesABadJsonValue) {
  const google::protobuf::Struct json = Json(R"({"customers_lost": "many"})");
  ExpectRequest(BuildComputeRequest(ChurnRate(), {"customers_lost=5"}, &json),
                R"pb(
                  metric: "churn_rate"
                  scalars {
                    key: "customers_lost"
                    value { int64_value: 5 }
                  }
                )pb");
}

TEST(BuildComputeRequestTest, JsonInt64MustBeWhole) {
  const google::protobuf::Struct json = Json(R"({"customers_at_start": 10.5})");
  ExpectUsageError(BuildComputeRequest(ChurnRate(), {}, &json),
                   "customers_at_start: 10.5 is not a whole number");
}

TEST(BuildComputeRequestTest, JsonColumnMustBeAnArray) {
  const google::protobuf::Struct json = Json(R"({"scores": "10,9"})");
  ExpectUsageError(BuildComputeRequest(Nps(), {}, &json),
                   "scores: \"10,9\" is not a JSON array; a column input "
                   "takes an array of values");
}

TEST(BuildComputeRequestTest, JsonArrayIsNotASingleValue) {
  const google::protobuf::Struct json = Json(R"({"customers_lost": [1]})");
  ExpectUsageError(BuildComputeRequest(ChurnRate(), {}, &json),
                   "customers_lost: a JSON array was given, but this takes a "
                   "single value");
}

TEST(BuildComputeRequestTest, BadJsonItemsAreNamedByPosition) {
  const google::protobuf::Struct json = Json(R"({"scores": [10, true, 3]})");
  ExpectUsageError(BuildComputeRequest(Nps(), {}, &json),
                   "scores: item 2 true is not a number");
  const google::protobuf::Struct nulls = Json(R"({"scores": [null]})");
  ExpectUsageError(BuildComputeRequest(Nps(), {}, &nulls),
                   "scores: item 1 null is not a number");
  const google::protobuf::Struct labels = Json(R"({"labels": ["a", 2]})");
  ExpectUsageError(BuildComputeRequest(Everything(), {}, &labels),
                   "labels: item 2 2 is not a string");
  const google::protobuf::Struct flag = Json(R"({"lower_is_better": 1})");
  ExpectUsageError(BuildComputeRequest(Everything(), {}, &flag),
                   "lower_is_better: 1 is not true or false");
}

TEST(BuildComputeRequestTest, ColumnsFollowTheDeclarationOrder) {
  ExpectRequest(
      BuildComputeRequest(Everything(), {"labels=x", "amounts=1"}, nullptr),
      R"pb(
        metric: "everything"
        columns {
          name: "amounts"
          doubles { values: 1 }
        }
        columns {
          name: "labels"
          strings { values: "x" }
        }
      )pb");
}

// A records-form metric: timestamp columns (end open for active
// subscriptions) and required timestamp parameters.
MetricInfo ChurnRecords() {
  return ParseText<MetricInfo>(R"pb(
    name: "churn_rate"
    inputs {
      name: "customers_at_start"
      type: VALUE_TYPE_INT64
      kind: INPUT_KIND_SCALAR
      form: "aggregate"
    }
    inputs {
      name: "start"
      type: VALUE_TYPE_TIMESTAMP
      kind: INPUT_KIND_COLUMN
      form: "records"
    }
    inputs {
      name: "end"
      type: VALUE_TYPE_TIMESTAMP
      kind: INPUT_KIND_COLUMN
      form: "records"
    }
    parameters {
      name: "period_start"
      type: VALUE_TYPE_TIMESTAMP
      required: true
      form: "records"
    }
    parameters {
      name: "period_end"
      type: VALUE_TYPE_TIMESTAMP
      required: true
      form: "records"
    }
  )pb");
}

TEST(BuildComputeRequestTest, TimestampParametersInEveryForm) {
  ExpectRequest(
      BuildComputeRequest(ChurnRecords(),
                          {"period_start=2024-01-31",
                           "period_end=2024-02-29T23:59:59.25+01:00"},
                          nullptr),
      R"pb(
        metric: "churn_rate"
        parameters {
          key: "period_start"
          value { timestamp_value { seconds: 1706659200 } }
        }
        parameters {
          key: "period_end"
          value { timestamp_value { seconds: 1709247599 nanos: 250000000 } }
        }
      )pb");
  const google::protobuf::Struct json =
      Json(R"({"period_start": 1706659200000001, "period_end": "2024-02-01"})");
  ExpectRequest(BuildComputeRequest(ChurnRecords(), {}, &json), R"pb(
    metric: "churn_rate"
    parameters {
      key: "period_start"
      value { timestamp_value { seconds: 1706659200 nanos: 1000 } }
    }
    parameters {
      key: "period_end"
      value { timestamp_value { seconds: 1706745600 } }
    }
  )pb");
}

// An open end is the largest int64, in a column only.
TEST(BuildComputeRequestTest, OpenEndInATimestampColumn) {
  ExpectRequest(BuildComputeRequest(ChurnRecords(),
                                    {"start=2024-01-01,2024-01-02,2024-01-03,0",
                                     "end=2024-03-31,open,, OPEN "},
                                    nullptr),
                R"pb(
                  metric: "churn_rate"
                  columns {
                    name: "start"
                    timestamps {
                      unix_micros: [
                        1704067200000000,
                        1704153600000000,
                        1704240000000000,
                        0
                      ]
                    }
                  }
                  columns {
                    name: "end"
                    timestamps {
                      unix_micros: [
                        1711843200000000,
                        9223372036854775807,
                        9223372036854775807,
                        9223372036854775807
                      ]
                    }
                  }
                )pb");
  ExpectRequest(BuildComputeRequest(ChurnRecords(), {"end=open"}, nullptr),
                R"pb(
                  metric: "churn_rate"
                  columns {
                    name: "end"
                    timestamps { unix_micros: 9223372036854775807 }
                  }
                )pb");
  const google::protobuf::Struct json =
      Json(R"({"end": ["2024-03-31", null, "", "open"]})");
  ExpectRequest(BuildComputeRequest(ChurnRecords(), {}, &json), R"pb(
    metric: "churn_rate"
    columns {
      name: "end"
      timestamps {
        unix_micros: [
          1711843200000000,
          9223372036854775807,
          9223372036854775807,
          9223372036854775807
        ]
      }
    }
  )pb");
  ExpectUsageError(
      BuildComputeRequest(ChurnRecords(), {"period_end=open"}, nullptr),
      "period_end: \"open\" is not a timestamp (want RFC 3339 like "
      "2024-01-31T00:00:00Z, or unix microseconds)");
}

TEST(BuildComputeRequestTest, GroupByColumnsAreStringColumnsAfterTheInputs) {
  const std::vector<std::string> group_by = {"plan", "region", "plan"};
  ExpectRequest(
      BuildComputeRequest(
          Nps(), {"region=eu,us,eu", "scores=10,9,3", "plan=basic, pro,1"},
          nullptr, group_by),
      R"pb(
        metric: "nps"
        columns {
          name: "scores"
          doubles { values: [ 10, 9, 3 ] }
        }
        columns {
          name: "plan"
          strings { values: [ "basic", " pro", "1" ] }
        }
        columns {
          name: "region"
          strings { values: [ "eu", "us", "eu" ] }
        }
        group_by: [ "plan", "region" ]
      )pb");
}

TEST(BuildComputeRequestTest, GroupByColumnsFromJson) {
  const std::vector<std::string> group_by = {"region_id"};
  const google::protobuf::Struct json =
      Json(R"({"scores": [10, 9], "region_id": [7, "eu"]})");
  ExpectRequest(BuildComputeRequest(Nps(), {"region_id=3,4"}, &json, group_by),
                R"pb(
                  metric: "nps"
                  columns {
                    name: "scores"
                    doubles { values: [ 10, 9 ] }
                  }
                  columns {
                    name: "region_id"
                    strings { values: [ "3", "4" ] }
                  }
                  group_by: "region_id"
                )pb");
  ExpectRequest(BuildComputeRequest(Nps(), {}, &json, group_by), R"pb(
    metric: "nps"
    columns {
      name: "scores"
      doubles { values: [ 10, 9 ] }
    }
    columns {
      name: "region_id"
      strings { values: [ "7", "eu" ] }
    }
    group_by: "region_id"
  )pb");
  const google::protobuf::Struct bad = Json(R"({"region_id": [true]})");
  ExpectUsageError(BuildComputeRequest(Nps(), {}, &bad, group_by),
                   "region_id: item 1 true is not a string");
  const google::protobuf::Struct scalar = Json(R"({"region_id": "eu"})");
  ExpectUsageError(BuildComputeRequest(Nps(), {}, &scalar, group_by),
                   "region_id: \"eu\" is not a JSON array; a column input "
                   "takes an array of values");
}

// Without its values the group_by column is left to the server to report.
TEST(BuildComputeRequestTest, GroupByWithoutValues) {
  const std::vector<std::string> group_by = {"plan"};
  ExpectRequest(BuildComputeRequest(Nps(), {"scores=1"}, nullptr, group_by),
                R"pb(
                  metric: "nps"
                  columns {
                    name: "scores"
                    doubles { values: 1 }
                  }
                  group_by: "plan"
                )pb");
}

TEST(BuildComputeRequestTest, GroupByNamesAreValidNames) {
  const std::vector<std::string> group_by = {"plan"};
  ExpectUsageError(
      BuildComputeRequest(Nps(), {"plan=a", "region=b"}, nullptr, group_by),
      "nps has no input or parameter named \"region\"; valid names: scores, "
      "promoter_min, detractor_max, confidence_level, plan");
  // Without --group-by, a group column is an unknown name.
  ExpectUsageError(BuildComputeRequest(Nps(), {"plan=a"}, nullptr),
                   "nps has no input or parameter named \"plan\"; valid "
                   "names: scores, promoter_min, detractor_max, "
                   "confidence_level");
}

TEST(BuildComputeRequestTest, GroupByAnInputIsAnError) {
  const std::vector<std::string> by_input = {"scores"};
  ExpectUsageError(
      BuildComputeRequest(Nps(), {"scores=1"}, nullptr, by_input),
      "--group-by: \"scores\" is an input or parameter of nps; group by a "
      "column the metric does not take");
  const std::vector<std::string> by_parameter = {"plan", "promoter_min"};
  ExpectUsageError(
      BuildComputeRequest(Nps(), {}, nullptr, by_parameter),
      "--group-by: \"promoter_min\" is an input or parameter of nps; group "
      "by a column the metric does not take");
  const std::vector<std::string> empty = {""};
  ExpectUsageError(BuildComputeRequest(Nps(), {}, nullptr, empty),
                   "--group-by: a column name is empty");
}

TEST(CheckAssignmentsTest, AcceptsNameEqualsValue) {
  const std::vector<std::string> good = {"a=1", "b=", "c=x=y"};
  EXPECT_TRUE(CheckAssignments(good).ok());
  const std::vector<std::string> bad = {"a=1", "b"};
  EXPECT_EQ(CheckAssignments(bad).message(), "expected NAME=VALUE, got \"b\"");
}

}  // namespace
}  // namespace kpi::cli
