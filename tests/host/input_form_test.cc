// Choosing the input form of a call, and what each form requires.
#include "input_form.h"

#include <gtest/gtest.h>

#include "bound_chunk.h"
#include "bound_params.h"
#include "test_metric.h"

namespace kpi {
namespace {

using testing::TwoFormsDescriptor;

v1::ComputeRequest Records() {
  v1::ComputeRequest request;
  v1::Column* amount = request.add_columns();
  amount->set_name("amount");
  amount->mutable_doubles()->add_values(3);
  return request;
}

v1::ComputeRequest Aggregate() {
  v1::ComputeRequest request;
  (*request.mutable_scalars())["total"].set_double_value(3);
  return request;
}

TEST(InputFormTest, TheInputsOfTheFirstChunkChooseTheForm) {
  absl::StatusOr<const char*> records =
      ChooseInputForm(TwoFormsDescriptor(), ArgsFromRequest(Records()));
  ASSERT_TRUE(records.ok()) << records.status();
  EXPECT_STREQ(*records, "records");
  absl::StatusOr<const char*> aggregate =
      ChooseInputForm(TwoFormsDescriptor(), ArgsFromRequest(Aggregate()));
  ASSERT_TRUE(aggregate.ok()) << aggregate.status();
  EXPECT_STREQ(*aggregate, "aggregate");
}

TEST(InputFormTest, MixingFormsIsRefusedNamingBoth) {
  v1::ComputeRequest request = Records();
  (*request.mutable_scalars())["total"].set_double_value(3);
  absl::StatusOr<const char*> form =
      ChooseInputForm(TwoFormsDescriptor(), ArgsFromRequest(request));
  EXPECT_EQ(form.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(form.status().message(),
            "input 'total' (aggregate form) and input 'amount' (records form) "
            "cannot be combined; two_forms takes aggregate inputs (total, "
            "note) or records inputs (amount, note)");
}

TEST(InputFormTest, NoFormInputsListsTheForms) {
  absl::StatusOr<const char*> form =
      ChooseInputForm(TwoFormsDescriptor(), CallArgs{});
  EXPECT_EQ(form.status().message(),
            "two_forms takes aggregate inputs (total, note) or records inputs "
            "(amount, note); none given");
}

TEST(InputFormTest, AMetricWithoutFormsHasNoForm) {
  absl::StatusOr<const char*> form = ChooseInputForm(
      testing::RowCounterDescriptor(), ArgsFromRequest(Records()));
  ASSERT_TRUE(form.ok());
  EXPECT_EQ(*form, nullptr);
}

TEST(InputFormTest, AParameterRequiredByOneFormIsRequiredOnlyThere) {
  absl::StatusOr<BoundParams> params =
      BoundParams::Bind(TwoFormsDescriptor(), {});
  ASSERT_TRUE(params.ok());
  EXPECT_TRUE(params->CheckRequired("aggregate").ok());
  absl::Status records = params->CheckRequired("records");
  EXPECT_EQ(records.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(records.message(),
            "parameter 'period_start': required by two_forms (records form) "
            "but not set");

  v1::ComputeRequest request = Records();
  (*request.mutable_parameters())["period_start"]
      .mutable_timestamp_value()
      ->set_seconds(86400);
  CallArgs args = ArgsFromRequest(request);
  absl::StatusOr<BoundParams> given =
      BoundParams::Bind(TwoFormsDescriptor(), args.parameters);
  ASSERT_TRUE(given.ok()) << given.status();
  EXPECT_TRUE(given->CheckRequired("records").ok());
  EXPECT_EQ(given->data()[0].i64, 86400 * 1000000LL);
}

TEST(InputFormTest, AChunkMayNotCarryInputsOfAnotherForm) {
  absl::StatusOr<BoundParams> params =
      BoundParams::Bind(TwoFormsDescriptor(), {});
  ASSERT_TRUE(params.ok());
  absl::StatusOr<BoundChunk> chunk =
      BoundChunk::Bind(TwoFormsDescriptor(), *params,
                       ArgsFromRequest(Records()), {true, 0, "aggregate"});
  EXPECT_EQ(chunk.status().message(),
            "input 'amount': belongs to the records form, but this call uses "
            "the aggregate form");
}

TEST(InputFormTest, RequiredInputsOfTheUnusedFormAreNotRequired) {
  absl::StatusOr<BoundParams> params =
      BoundParams::Bind(TwoFormsDescriptor(), {});
  ASSERT_TRUE(params.ok());
  absl::StatusOr<BoundChunk> chunk =
      BoundChunk::Bind(TwoFormsDescriptor(), *params,
                       ArgsFromRequest(Records()), {true, 0, "records"});
  EXPECT_TRUE(chunk.ok()) << chunk.status();
}

}  // namespace
}  // namespace kpi
