// Request ids: which ids a client may choose, and the ids the server makes.
#include "request_id.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <set>
#include <string>
#include <thread>
#include <vector>

namespace kpi {
namespace {

using ::testing::MatchesRegex;

TEST(RequestIdTest, AcceptsOneTo128VisibleAsciiCharacters) {
  EXPECT_TRUE(IsAcceptableRequestId("abc-123"));
  EXPECT_TRUE(IsAcceptableRequestId("a"));
  EXPECT_TRUE(IsAcceptableRequestId(std::string(128, 'x')));
  EXPECT_TRUE(IsAcceptableRequestId("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~"));
}

TEST(RequestIdTest, RefusesEmptyTooLongSpacesAndOtherBytes) {
  EXPECT_FALSE(IsAcceptableRequestId(""));
  EXPECT_FALSE(IsAcceptableRequestId(std::string(129, 'x')));
  EXPECT_FALSE(IsAcceptableRequestId("abc 123"));
  EXPECT_FALSE(IsAcceptableRequestId("tab\there"));
  EXPECT_FALSE(IsAcceptableRequestId("line\n"));
  EXPECT_FALSE(IsAcceptableRequestId("del\x7f"));
  EXPECT_FALSE(IsAcceptableRequestId("caf\xc3\xa9"));
  EXPECT_FALSE(IsAcceptableRequestId(std::string("nul\0", 4)));
}

TEST(RequestIdTest, NewIdsAreSixteenHexDigitsAndDiffer) {
  const std::string first = NewRequestId();
  EXPECT_THAT(first, MatchesRegex("[0-9a-f]{16}"));
  EXPECT_TRUE(IsAcceptableRequestId(first));
  EXPECT_NE(NewRequestId(), first);
  // The same process prefix, a counter after it.
  EXPECT_EQ(NewRequestId().substr(0, 8), first.substr(0, 8));
}

TEST(RequestIdTest, NewIdsFromManyThreadsAreUnique) {
  constexpr int kThreads = 4;
  constexpr int kIds = 20000;
  std::vector<std::vector<std::string>> made(kThreads);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&made, t] {
      for (int i = 0; i < kIds; ++i) made[t].push_back(NewRequestId());
    });
  }
  for (std::thread& thread : threads) thread.join();
  std::set<std::string> unique;
  for (const auto& ids : made) unique.insert(ids.begin(), ids.end());
  EXPECT_EQ(unique.size(), static_cast<size_t>(kThreads * kIds));
}

}  // namespace
}  // namespace kpi
