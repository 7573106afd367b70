// The server's input validation: what BoundParams and BoundChunk accept and
// the exact messages for what they refuse.
#include "bound_chunk.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "bound_params.h"
#include "call_args.h"
#include "test_metric.h"

namespace kpi {
namespace {

using ::testing::HasSubstr;
using testing::RowCounterDescriptor;

v1::Column DoubleColumn(const std::string& name, std::vector<double> values) {
  v1::Column column;
  column.set_name(name);
  for (double v : values) column.mutable_doubles()->add_values(v);
  return column;
}

// Binds `request` as the first chunk; returns the status.
absl::Status BindStatus(const v1::ComputeRequest& request,
                        ChunkPosition position = {}) {
  CallArgs args = ArgsFromRequest(request);
  absl::StatusOr<BoundParams> params =
      BoundParams::Bind(RowCounterDescriptor(), args.parameters);
  if (!params.ok()) return params.status();
  return BoundChunk::Bind(RowCounterDescriptor(), *params, args, position)
      .status();
}

v1::ComputeRequest Scores(std::vector<double> scores) {
  v1::ComputeRequest request;
  *request.add_columns() = DoubleColumn("score", std::move(scores));
  return request;
}

TEST(BoundChunkTest, AcceptsValidColumnsAndLaysThemOutInDeclarationOrder) {
  v1::ComputeRequest request = Scores({1, 5, 3});
  *request.add_columns() = DoubleColumn("weight", {0.5, 1, 2});
  (*request.mutable_scalars())["count"].set_int64_value(7);
  CallArgs args = ArgsFromRequest(request);
  absl::StatusOr<BoundParams> params =
      BoundParams::Bind(RowCounterDescriptor(), args.parameters);
  ASSERT_TRUE(params.ok());
  absl::StatusOr<BoundChunk> bound =
      BoundChunk::Bind(RowCounterDescriptor(), *params, args, {});
  ASSERT_TRUE(bound.ok()) << bound.status();
  const kpi_chunk& chunk = bound->chunk();
  EXPECT_EQ(chunk.num_rows, 3u);
  ASSERT_EQ(chunk.num_inputs, 4u);
  // Zero copy: the plugin sees the request's own array.
  EXPECT_EQ(chunk.inputs[0].f64, request.columns(0).doubles().values().data());
  EXPECT_EQ(chunk.inputs[1].length, 3u);
  EXPECT_EQ(chunk.inputs[2].length, 0u);  // optional label absent
  ASSERT_EQ(chunk.inputs[3].length, 1u);
  EXPECT_EQ(chunk.inputs[3].i64[0], 7);
}

struct RefusalCase {
  std::string name;
  v1::ComputeRequest request;
  std::string message;
};

void PrintTo(const RefusalCase& c, std::ostream* os) { *os << c.name; }

std::vector<RefusalCase> RefusalCases() {
  std::vector<RefusalCase> cases;
  auto add = [&](std::string name, v1::ComputeRequest request,
                 std::string message) {
    cases.push_back({std::move(name), std::move(request), std::move(message)});
  };
  add("AboveTheScaleMaximum", Scores({1, 2, 6}),
      "input 'score' row 2: 6 is above the maximum 5 (parameter scale_max)");
  add("BelowTheScaleMinimum", Scores({0}),
      "input 'score' row 0: 0 is below the minimum 1 (parameter scale_min)");
  add("NotAWholeNumber", Scores({1, 2.5}),
      "input 'score' row 1: 2.5 is not a whole number");
  add("NaN", Scores({1, std::nan("")}),
      "input 'score' row 1: nan is not finite");
  add("Infinity", Scores({std::numeric_limits<double>::infinity()}),
      "input 'score' row 0: inf is not finite");
  {
    v1::ComputeRequest r = Scores({1, 2});
    *r.add_columns() = DoubleColumn("weight", {1});
    add("UnequalLengths", r,
        "input 'weight': has 1 rows but 'score' has 2; columns must have "
        "equal length");
  }
  {
    v1::ComputeRequest r = Scores({1});
    *r.add_columns() = DoubleColumn("weight", {-1});
    add("NegativeWeight", r, "input 'weight' row 0: -1 is below the minimum 0");
  }
  {
    v1::ComputeRequest r = Scores({1});
    *r.add_columns() = DoubleColumn("colour", {1});
    add("UnknownColumn", r,
        "unknown input 'colour'; row_counter takes: score, weight, label, "
        "count");
  }
  {
    v1::ComputeRequest r;
    *r.add_columns() = DoubleColumn("weight", {1});
    add("MissingRequiredColumn", r,
        "input 'score': required by row_counter but missing");
  }
  {
    v1::ComputeRequest r;
    v1::Column* c = r.add_columns();
    c->set_name("score");
    c->mutable_int64s()->add_values(3);
    add("WrongColumnType", r,
        "input 'score': must be a double column, got int64");
  }
  {
    v1::ComputeRequest r = Scores({1});
    *r.add_columns() = DoubleColumn("score", {1});
    add("DuplicateColumn", r, "input 'score': sent twice");
  }
  {
    v1::ComputeRequest r = Scores({1});
    (*r.mutable_scalars())["count"].set_int64_value(-3);
    add("NegativeScalarCount", r, "input 'count': -3 is below the minimum 0");
  }
  {
    v1::ComputeRequest r = Scores({1});
    (*r.mutable_scalars())["count"].set_double_value(3);
    add("ScalarOfWrongType", r, "input 'count': must be an int64");
  }
  {
    v1::ComputeRequest r = Scores({1});
    (*r.mutable_scalars())["score"].set_double_value(3);
    add("ColumnSentAsScalar", r,
        "input 'score': is a column; send it in columns, not scalars");
  }
  {
    v1::ComputeRequest r = Scores({1});
    (*r.mutable_parameters())["scale_max"].set_int64_value(11);
    add("ParameterAboveItsRange", r,
        "parameter 'scale_max': 11 is above the maximum 10");
  }
  {
    v1::ComputeRequest r = Scores({1});
    (*r.mutable_parameters())["scale_max"].set_double_value(7);
    add("ParameterOfWrongType", r, "parameter 'scale_max': must be an int64");
  }
  {
    v1::ComputeRequest r = Scores({1});
    (*r.mutable_parameters())["mode"].set_string_value("median");
    add("ParameterNotAllowed", r,
        "parameter 'mode': 'median' is not one of: percent, mean");
  }
  {
    v1::ComputeRequest r = Scores({1});
    (*r.mutable_parameters())["level"].set_double_value(0.9);
    add("UnknownParameter", r,
        "unknown parameter 'level'; row_counter takes: scale_min, scale_max, "
        "mode, strict");
  }
  return cases;
}

class BoundChunkRefusalTest : public ::testing::TestWithParam<RefusalCase> {};

TEST_P(BoundChunkRefusalTest, RefusesWithAMessageNamingFieldAndRow) {
  absl::Status status = BindStatus(GetParam().request);
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(status.message(), GetParam().message);
}

INSTANTIATE_TEST_SUITE_P(Refusals, BoundChunkRefusalTest,
                         ::testing::ValuesIn(RefusalCases()),
                         [](const ::testing::TestParamInfo<RefusalCase>& info) {
                           return info.param.name;
                         });

TEST(BoundChunkTest, ScaleParameterMovesTheAllowedRange) {
  v1::ComputeRequest request = Scores({7});
  EXPECT_FALSE(BindStatus(request).ok());
  (*request.mutable_parameters())["scale_max"].set_int64_value(7);
  EXPECT_TRUE(BindStatus(request).ok());
}

TEST(BoundChunkTest, NumbersRowsAcrossTheWholeStream) {
  absl::Status status = BindStatus(Scores({1, 9}), ChunkPosition{false, 1000});
  EXPECT_EQ(status.message(),
            "input 'score' row 1001: 9 is above the maximum 5 (parameter "
            "scale_max)");
}

// Input orders (kpi_input_order): a row whose weight is below its score is
// refused naming both inputs and the row, numbered across the call.
TEST(BoundChunkTest, RefusesARowThatBreaksADeclaredOrder) {
  v1::ComputeRequest request = Scores({1, 2, 3});
  *request.add_columns() = DoubleColumn("weight", {1, 5, 2.5});
  CallArgs args = ArgsFromRequest(request);
  absl::StatusOr<BoundParams> params =
      BoundParams::Bind(RowCounterDescriptor(), args.parameters);
  ASSERT_TRUE(params.ok()) << params.status();
  const kpi_input_order orders[] = {{"weight", "score"}};
  absl::StatusOr<BoundChunk> bound = BoundChunk::Bind(
      RowCounterDescriptor(), *params, args, ChunkPosition{true, 10}, orders);
  ASSERT_FALSE(bound.ok());
  EXPECT_EQ(bound.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(bound.status().message(),
            "input 'weight' row 12: 2.5 is before input 'score' (3) in the "
            "same row; weight must not be before score");
  // Equal values keep the order; without the order the same rows bind.
  *request.mutable_columns(1) = DoubleColumn("weight", {1, 2, 3});
  args = ArgsFromRequest(request);
  EXPECT_TRUE(
      BoundChunk::Bind(RowCounterDescriptor(), *params, args, {}, orders).ok());
}

TEST(BoundChunkTest, RefusesScalarsAfterTheFirstChunk) {
  v1::ComputeRequest request = Scores({1});
  (*request.mutable_scalars())["count"].set_int64_value(3);
  absl::Status status = BindStatus(request, ChunkPosition{false, 1});
  EXPECT_EQ(status.message(),
            "input 'count': scalars belong in the first chunk of a stream");
}

TEST(BoundChunkTest, AChunkWithoutColumnsIsZeroRowsNotAnError) {
  v1::ComputeRequest request;
  CallArgs args = ArgsFromRequest(request);
  absl::StatusOr<BoundParams> params =
      BoundParams::Bind(RowCounterDescriptor(), args.parameters);
  ASSERT_TRUE(params.ok());
  absl::StatusOr<BoundChunk> bound = BoundChunk::Bind(
      RowCounterDescriptor(), *params, args, ChunkPosition{false, 5});
  ASSERT_TRUE(bound.ok()) << bound.status();
  EXPECT_EQ(bound->rows(), 0u);
  EXPECT_FALSE(bound->has_columns());
}

TEST(BoundParamsTest, FillsDefaultsAndAcceptsInt64ForDouble) {
  v1::ComputeRequest request;
  (*request.mutable_parameters())["mode"].set_string_value("mean");
  CallArgs args = ArgsFromRequest(request);
  absl::StatusOr<BoundParams> params =
      BoundParams::Bind(RowCounterDescriptor(), args.parameters);
  ASSERT_TRUE(params.ok()) << params.status();
  ASSERT_EQ(params->size(), 4u);
  EXPECT_EQ(params->data()[0].i64, 1);
  EXPECT_EQ(params->data()[1].i64, 5);
  EXPECT_EQ(std::string(params->data()[2].str.data, params->data()[2].str.size),
            "mean");
  EXPECT_EQ(params->data()[3].boolean, 0);
  EXPECT_EQ(params->Numeric("scale_max"), 5);
}

}  // namespace
}  // namespace kpi
