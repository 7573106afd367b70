#include "plugins/journey/list_param.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>

#include "kpi/plugin.hpp"
#include "kpi/plugin_text.hpp"

namespace kpi::journey {

std::string_view Trim(std::string_view text) {
  constexpr std::string_view kSpace = " \t";
  const size_t first = text.find_first_not_of(kSpace);
  if (first == std::string_view::npos) return {};
  const size_t last = text.find_last_not_of(kSpace);
  return text.substr(first, last - first + 1);
}

std::vector<std::string_view> Split(std::string_view text, char separator) {
  std::vector<std::string_view> items;
  size_t begin = 0;
  while (true) {
    const size_t end = text.find(separator, begin);
    if (end == std::string_view::npos) {
      items.push_back(Trim(text.substr(begin)));
      return items;
    }
    items.push_back(Trim(text.substr(begin, end - begin)));
    begin = end + 1;
  }
}

std::vector<std::string_view> ListItems(std::string_view param,
                                        std::string_view text) {
  if (Trim(text).empty()) {
    throw sdk::InvalidArgument(std::string(param) +
                               " is empty: it must list at least one item, "
                               "separated by commas");
  }
  std::vector<std::string_view> items = Split(text, ',');
  for (size_t i = 0; i < items.size(); ++i) {
    if (items[i].empty()) {
      throw sdk::InvalidArgument(std::string(param) + " item " +
                                 sdk::FormatCount(static_cast<int64_t>(i + 1)) +
                                 " is empty (in " + sdk::Quote(text) + ")");
    }
  }
  return items;
}

double ParseNumber(std::string_view what, std::string_view text) {
  const std::string copy(Trim(text));  // strtod needs a NUL-terminated string
  char* end = nullptr;
  // Not errno: strtod sets ERANGE on underflow too, and "1e-320" is a
  // finite number (a subnormal, or 0 below those), not an error.
  const double value = copy.empty() ? 0 : std::strtod(copy.c_str(), &end);
  if (copy.empty() || end != copy.c_str() + copy.size() ||
      !std::isfinite(value)) {
    throw sdk::InvalidArgument(std::string(what) + " " + sdk::Quote(text) +
                               " is not a finite number");
  }
  return value;
}

}  // namespace kpi::journey
