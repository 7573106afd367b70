#include "plugins/engagement/conversion_rate.h"

#include <cstdint>
#include <string>

#include "kpi/plugin_text.hpp"

namespace kpi::engagement {

ConversionRate::ConversionRate(const sdk::Params& /*params*/) {}

void ConversionRate::Update(const sdk::Chunk& chunk) {
  // Aggregate form: the totals, in the first chunk only.
  conversions_ += chunk.ScalarOr(kConversions, 0);
  visitors_ += chunk.ScalarOr(kVisitors, 0);
  // Records form. The views are valid only during this call: the map keeps
  // copies of the visitor ids.
  const sdk::View<kpi_string_view> visitors = chunk.Strings(kVisitor);
  const sdk::View<int64_t> converted = chunk.Int64s(kConverted);
  for (size_t i = 0; i < visitors.size() && i < converted.size(); ++i) {
    bool& seen = converted_[std::string(visitors[i].data, visitors[i].size)];
    seen = seen || converted[i] != 0;
  }
}

void ConversionRate::Merge(const ConversionRate& other) {
  conversions_ += other.conversions_;
  visitors_ += other.visitors_;
  for (const auto& [visitor, converted] : other.converted_) {
    bool& seen = converted_[visitor];
    seen = seen || converted;
  }
}

void ConversionRate::Finalize(sdk::Result& result) const {
  double conversions = conversions_;
  double visitors = visitors_ + static_cast<double>(converted_.size());
  for (const auto& [visitor, converted] : converted_) {
    if (converted) conversions += 1;
  }
  result.Share(conversions, visitors,
               {"conversions", "visitors",
                "as when orders rather than converting visitors are counted",
                "visitors is 0: conversion rate is undefined without "
                "visitors"});
}

}  // namespace kpi::engagement
