#include "raw_item.h"

#include <string>

#include "gtest/gtest.h"

namespace kpi::cli {
namespace {

google::protobuf::Value Number(double value) {
  google::protobuf::Value json;
  json.set_number_value(value);
  return json;
}

google::protobuf::Value String(const std::string& value) {
  google::protobuf::Value json;
  json.set_string_value(value);
  return json;
}

google::protobuf::Value Bool(bool value) {
  google::protobuf::Value json;
  json.set_bool_value(value);
  return json;
}

google::protobuf::Value Null() {
  google::protobuf::Value json;
  json.set_null_value(google::protobuf::NULL_VALUE);
  return json;
}

TEST(JsonItemTest, TextOfEachKind) {
  EXPECT_EQ(DescribeItem(JsonItem(Number(0.9))), "0.9");
  EXPECT_EQ(DescribeItem(JsonItem(Number(1e20))), "1e+20");
  EXPECT_EQ(DescribeItem(JsonItem(Number(1.0 / 3))), "0.3333333333333333");
  EXPECT_EQ(DescribeItem(JsonItem(String("x"))), "\"x\"");
  EXPECT_EQ(DescribeItem(JsonItem(Bool(true))), "true");
  google::protobuf::Value null;
  null.set_null_value(google::protobuf::NULL_VALUE);
  EXPECT_EQ(DescribeItem(JsonItem(null)), "null");
  google::protobuf::Value list;
  list.mutable_list_value();
  EXPECT_EQ(DescribeItem(JsonItem(list)), "[...]");
  google::protobuf::Value object;
  object.mutable_struct_value();
  EXPECT_EQ(DescribeItem(JsonItem(object)), "{...}");
}

TEST(ToDoubleTest, AcceptsNumbersInTextAndJson) {
  EXPECT_EQ(*ToDouble(TextItem(" 1.5 ")), 1.5);
  EXPECT_EQ(*ToDouble(TextItem("-2e3")), -2000);
  EXPECT_EQ(*ToDouble(JsonItem(Number(0.9))), 0.9);
  EXPECT_EQ(*ToDouble(JsonItem(String("7"))), 7);
}

TEST(ToDoubleTest, Rejections) {
  EXPECT_EQ(ToDouble(TextItem("x")).status().message(),
            "\"x\" is not a number");
  EXPECT_EQ(ToDouble(TextItem("nan")).status().message(),
            "\"nan\" is not a finite number");
  EXPECT_EQ(ToDouble(JsonItem(Bool(false))).status().message(),
            "false is not a number");
}

TEST(ToInt64Test, AcceptsWholeNumbers) {
  EXPECT_EQ(*ToInt64(TextItem("9223372036854775807")), INT64_MAX);
  EXPECT_EQ(*ToInt64(TextItem("-12")), -12);
  EXPECT_EQ(*ToInt64(TextItem("1e3")), 1000);
  EXPECT_EQ(*ToInt64(JsonItem(Number(4.0))), 4);
  EXPECT_EQ(*ToInt64(JsonItem(String("9007199254740993"))), 9007199254740993);
}

TEST(ToInt64Test, Rejections) {
  EXPECT_EQ(ToInt64(TextItem("1.5")).status().message(),
            "\"1.5\" is not a whole number");
  EXPECT_EQ(ToInt64(JsonItem(Number(0.5))).status().message(),
            "0.5 is not a whole number");
  EXPECT_EQ(ToInt64(TextItem("9223372036854775808")).status().message(),
            "\"9223372036854775808\" is out of range for a 64-bit integer");
  EXPECT_EQ(ToInt64(TextItem("ten")).status().message(),
            "\"ten\" is not a number");
}

TEST(ToStringTest, KeepsTextAsIs) {
  EXPECT_EQ(*ToString(TextItem(" a ")), " a ");
  EXPECT_EQ(*ToString(JsonItem(String(""))), "");
  EXPECT_EQ(ToString(JsonItem(Number(2))).status().message(),
            "2 is not a string");
}

TEST(ToUnixMicrosTest, Forms) {
  EXPECT_EQ(*ToUnixMicros(TextItem("2024-01-31T00:00:00Z")), 1706659200000000);
  EXPECT_EQ(*ToUnixMicros(TextItem("2024-01-31T00:00:00.000001z")),
            1706659200000001);
  EXPECT_EQ(*ToUnixMicros(TextItem("2024-01-31T02:00:00+02:00")),
            1706659200000000);
  EXPECT_EQ(*ToUnixMicros(TextItem("2024-01-31")), 1706659200000000);
  EXPECT_EQ(*ToUnixMicros(TextItem("1706659200000000")), 1706659200000000);
  EXPECT_EQ(*ToUnixMicros(TextItem("-5")), -5);
  EXPECT_EQ(*ToUnixMicros(JsonItem(Number(1706659200000000))),
            1706659200000000);
}

TEST(ToUnixMicrosTest, Rejections) {
  EXPECT_EQ(ToUnixMicros(TextItem("31/01/2024")).status().message(),
            "\"31/01/2024\" is not a timestamp (want RFC 3339 like "
            "2024-01-31T00:00:00Z, or unix microseconds)");
  EXPECT_EQ(ToUnixMicros(JsonItem(Number(1.5))).status().message(),
            "1.5 is not a whole number");
  EXPECT_EQ(ToUnixMicros(JsonItem(Bool(true))).status().message(),
            "true is not a timestamp (want RFC 3339 like "
            "2024-01-31T00:00:00Z, or unix microseconds)");
}

// An open end ("no end yet") is the largest int64; a scalar or parameter
// timestamp has no such form.
TEST(ToColumnUnixMicrosTest, OpenEnd) {
  EXPECT_EQ(*ToColumnUnixMicros(TextItem("")), kOpenEnd);
  EXPECT_EQ(*ToColumnUnixMicros(TextItem(" ")), kOpenEnd);
  EXPECT_EQ(*ToColumnUnixMicros(TextItem("open")), kOpenEnd);
  EXPECT_EQ(*ToColumnUnixMicros(TextItem("OPEN")), kOpenEnd);
  EXPECT_EQ(*ToColumnUnixMicros(JsonItem(String(""))), kOpenEnd);
  EXPECT_EQ(*ToColumnUnixMicros(JsonItem(Null())), kOpenEnd);
  EXPECT_EQ(kOpenEnd, 9223372036854775807);
  EXPECT_EQ(*ToColumnUnixMicros(TextItem("2024-01-31")), 1706659200000000);
  EXPECT_EQ(ToColumnUnixMicros(TextItem("opened")).status().message(),
            "\"opened\" is not a timestamp (want RFC 3339 like "
            "2024-01-31T00:00:00Z, or unix microseconds)");
  EXPECT_EQ(ToUnixMicros(TextItem("open")).status().message(),
            "\"open\" is not a timestamp (want RFC 3339 like "
            "2024-01-31T00:00:00Z, or unix microseconds)");
}

TEST(ToBoolTest, TrueOrFalse) {
  EXPECT_EQ(*ToBool(TextItem("true")), true);
  EXPECT_EQ(*ToBool(TextItem("False")), false);
  EXPECT_EQ(*ToBool(JsonItem(Bool(true))), true);
  EXPECT_EQ(*ToBool(JsonItem(String("false"))), false);
  EXPECT_EQ(ToBool(TextItem("1")).status().message(),
            "\"1\" is not true or false");
  EXPECT_EQ(ToBool(JsonItem(Number(0))).status().message(),
            "0 is not true or false");
}

}  // namespace
}  // namespace kpi::cli
