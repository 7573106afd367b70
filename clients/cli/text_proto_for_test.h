// Test helper: a message from protobuf text format, failing the test when the
// text does not parse.
#ifndef KPI_CLIENTS_CLI_TEXT_PROTO_FOR_TEST_H_
#define KPI_CLIENTS_CLI_TEXT_PROTO_FOR_TEST_H_

#include <string>

#include "google/protobuf/text_format.h"
#include "gtest/gtest.h"

namespace kpi::cli {

template <typename Message>
Message ParseText(const std::string& text) {
  Message message;
  EXPECT_TRUE(google::protobuf::TextFormat::ParseFromString(text, &message))
      << text;
  return message;
}

}  // namespace kpi::cli

#endif  // KPI_CLIENTS_CLI_TEXT_PROTO_FOR_TEST_H_
