#include "tests/plugins/metric_harness.h"

#include <mutex>

namespace kpi::testing {

// ---- Inputs -----------------------------------------------------------------

std::vector<StateData> Scalars(std::map<std::string, double> scalars) {
  ChunkData chunk;
  chunk.scalars = std::move(scalars);
  return {StateData{std::move(chunk)}};
}

std::vector<StateData> Segments(
    std::vector<std::map<std::string, double>> segments) {
  std::vector<StateData> states;
  for (auto& scalars : segments) {
    ChunkData chunk;
    chunk.scalars = std::move(scalars);
    states.push_back(StateData{std::move(chunk)});
  }
  return states;
}

std::vector<StateData> Scores(std::vector<double> scores) {
  ChunkData chunk;
  chunk.columns["scores"] = std::move(scores);
  return {StateData{std::move(chunk)}};
}

std::vector<double> Distribution(
    std::vector<std::pair<double, size_t>> score_counts) {
  std::vector<double> scores;
  for (const auto& [score, count] : score_counts) {
    scores.insert(scores.end(), count, score);
  }
  return scores;
}

std::vector<StateData> NoChunks() { return {StateData{}}; }

// ---- Expectations -----------------------------------------------------------

Expected Expected::Value(double value) {
  Expected e;
  e.value_ = value;
  return e;
}

Expected Expected::Undefined(std::string reason_part) {
  Expected e;
  e.undefined_part_ = std::move(reason_part);
  return e;
}

Expected Expected::Error(kpi_status status,
                         std::vector<std::string> message_parts) {
  Expected e;
  e.status_ = status;
  e.message_parts_ = std::move(message_parts);
  return e;
}

Expected Expected::WithRatio(double numerator, double denominator) const {
  Expected e = *this;
  e.ratio_ = Ratio{numerator, denominator};
  return e;
}

Expected Expected::WithUnit(std::string unit) const {
  Expected e = *this;
  e.unit_ = std::move(unit);
  return e;
}

Expected Expected::WithSampleSize(double sample_size) const {
  Expected e = *this;
  e.sample_size_ = sample_size;
  return e;
}

Expected Expected::WithWarning(std::string part) const {
  Expected e = *this;
  e.warning_parts_.push_back(std::move(part));
  return e;
}

Expected Expected::WithInterval(Interval interval) const {
  Expected e = *this;
  e.interval_ = interval;
  return e;
}

Expected Expected::WithTolerance(double tolerance) const {
  Expected e = *this;
  e.tolerance_ = tolerance;
  return e;
}

namespace {

bool Contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

void ExpectIntervalNear(const Interval& actual, const Interval& expected,
                        double tolerance) {
  EXPECT_NEAR(actual.lower, expected.lower, tolerance) << "interval lower";
  EXPECT_NEAR(actual.upper, expected.upper, tolerance) << "interval upper";
  EXPECT_NEAR(actual.margin, expected.margin, tolerance) << "margin";
  EXPECT_NEAR(actual.standard_error, expected.standard_error, tolerance)
      << "standard error";
  EXPECT_NEAR(actual.confidence_level, expected.confidence_level, tolerance)
      << "confidence level";
}

}  // namespace

void Expected::Check(const Outcome& outcome) const {
  ASSERT_EQ(outcome.status, status_)
      << outcome.failed_call << " failed: " << outcome.message;
  if (status_ != KPI_STATUS_OK) {
    for (const std::string& part : message_parts_) {
      EXPECT_TRUE(Contains(outcome.message, part))
          << "message \"" << outcome.message << "\" lacks \"" << part << "\"";
    }
    return;
  }
  const SinkRecord& r = outcome.result;
  EXPECT_TRUE(r.protocol_errors.empty())
      << "sink protocol: " << ::testing::PrintToString(r.protocol_errors);
  EXPECT_TRUE(outcome.finalize_repeatable)
      << "a second finalize() wrote something else";
  if (value_) {
    ASSERT_TRUE(r.value.has_value())
        << "undefined: " << r.undefined_reason.value_or("");
    EXPECT_NEAR(*r.value, *value_, tolerance_) << "value";
  }
  if (undefined_part_) {
    EXPECT_FALSE(r.value.has_value()) << "value " << r.value.value_or(0);
    ASSERT_TRUE(r.undefined_reason.has_value());
    EXPECT_TRUE(Contains(*r.undefined_reason, *undefined_part_))
        << "reason \"" << *r.undefined_reason << "\" lacks \""
        << *undefined_part_ << "\"";
  }
  if (ratio_) {
    ASSERT_TRUE(r.ratio.has_value()) << "no ratio";
    EXPECT_NEAR(r.ratio->numerator, ratio_->numerator, tolerance_)
        << "ratio numerator";
    EXPECT_NEAR(r.ratio->denominator, ratio_->denominator, tolerance_)
        << "ratio denominator";
  }
  if (sample_size_) {
    ASSERT_TRUE(r.sample_size.has_value()) << "no sample size";
    EXPECT_NEAR(*r.sample_size, *sample_size_, tolerance_) << "sample size";
  }
  EXPECT_EQ(r.unit, unit_) << "unit override";
  if (interval_) {
    ASSERT_TRUE(r.interval.has_value()) << "no interval";
    ExpectIntervalNear(*r.interval, *interval_, tolerance_);
  }
  ASSERT_EQ(r.warnings.size(), warning_parts_.size())
      << "warnings: " << ::testing::PrintToString(r.warnings);
  for (size_t i = 0; i < warning_parts_.size(); ++i) {
    EXPECT_TRUE(Contains(r.warnings[i], warning_parts_[i]))
        << "warning \"" << r.warnings[i] << "\" lacks \"" << warning_parts_[i]
        << "\"";
  }
}

void ExpectSameResult(const Outcome& actual, const Outcome& expected,
                      double tolerance) {
  ASSERT_EQ(actual.status, expected.status) << actual.message;
  EXPECT_EQ(actual.message, expected.message);
  const SinkRecord& a = actual.result;
  const SinkRecord& e = expected.result;
  EXPECT_TRUE(a.protocol_errors.empty())
      << ::testing::PrintToString(a.protocol_errors);
  EXPECT_TRUE(actual.finalize_repeatable);
  ASSERT_EQ(a.value.has_value(), e.value.has_value());
  if (e.value) {
    EXPECT_NEAR(*a.value, *e.value, tolerance) << "value";
  }
  EXPECT_EQ(a.undefined_reason, e.undefined_reason);
  ASSERT_EQ(a.ratio.has_value(), e.ratio.has_value());
  if (e.ratio) {
    EXPECT_NEAR(a.ratio->numerator, e.ratio->numerator, tolerance);
    EXPECT_NEAR(a.ratio->denominator, e.ratio->denominator, tolerance);
  }
  ASSERT_EQ(a.interval.has_value(), e.interval.has_value());
  if (e.interval) {
    ExpectIntervalNear(*a.interval, *e.interval, tolerance);
  }
  EXPECT_EQ(a.sample_size, e.sample_size);
  EXPECT_EQ(a.unit, e.unit);
  EXPECT_EQ(a.warnings, e.warnings);
}

// ---- Running ----------------------------------------------------------------

const LoadedPlugin* SharedPlugin(const std::string& path) {
  // Loaded once per process: loading is not what these tests are about, and
  // the library must outlive every descriptor pointer a test holds.
  static std::mutex mutex;
  static auto* plugins =
      new std::map<std::string, std::unique_ptr<LoadedPlugin>>();
  std::lock_guard<std::mutex> lock(mutex);
  auto it = plugins->find(path);
  if (it == plugins->end()) {
    std::string error;
    std::unique_ptr<LoadedPlugin> plugin = LoadedPlugin::Load(path, &error);
    if (plugin == nullptr) {
      ADD_FAILURE() << "cannot load " << path << ": " << error;
      return nullptr;
    }
    it = plugins->emplace(path, std::move(plugin)).first;
  }
  return it->second.get();
}

Outcome Run(const Family& family, const std::string& metric, Path path,
            const ParamOverrides& params,
            const std::vector<StateData>& states) {
  if (path == Path::kCxx) {
    auto it = family.metrics.find(metric);
    if (it == family.metrics.end()) {
      ADD_FAILURE() << "no metric class for " << metric;
      return Outcome{KPI_STATUS_INTERNAL, "", "no metric class", {}, false};
    }
    return it->second(params, states);
  }
  const LoadedPlugin* plugin = SharedPlugin(family.plugin_file);
  const kpi_metric_descriptor* descriptor =
      plugin == nullptr ? nullptr : plugin->FindMetric(metric);
  if (descriptor == nullptr) {
    ADD_FAILURE() << family.plugin_file << " has no metric " << metric;
    return Outcome{KPI_STATUS_INTERNAL, "", "no such metric", {}, false};
  }
  return RunMetric(*descriptor, params, states);
}

void PrintTo(const MetricCase& c, std::ostream* os) { *os << c.name; }
void PrintTo(const MergeCase& c, std::ostream* os) { *os << c.name; }
void PrintTo(Path path, std::ostream* os) {
  *os << (path == Path::kCxx ? "C++ layer" : "C ABI");
}

void RunAndCheck(const Family& family, const MetricCase& c, Path path) {
  c.expected.Check(Run(family, c.metric, path, c.params, c.states));
}

void RunAndCheckMerge(const Family& family, const MergeCase& c, Path path) {
  const Outcome whole =
      Run(family, c.metric, path, c.params, {StateData{c.input}});
  ASSERT_EQ(whole.status, KPI_STATUS_OK) << whole.message;
  // {states, chunks per state}: more chunks than rows leaves some empty.
  const std::pair<size_t, size_t> kSplits[] = {
      {1, 3}, {3, 1}, {2, 2}, {4, 3}, {7, 5}};
  for (const auto& [states, chunks] : kSplits) {
    SCOPED_TRACE(::testing::Message()
                 << states << " states of " << chunks << " chunks each");
    ExpectSameResult(Run(family, c.metric, path, c.params,
                         SplitRows(c.input, states, chunks)),
                     whole, 1e-9);
  }
}

}  // namespace kpi::testing
