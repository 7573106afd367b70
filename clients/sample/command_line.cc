#include "command_line.h"

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "file_formats.h"

namespace kpi::sample {
namespace {

absl::Status BadValue(absl::string_view flag, absl::string_view value,
                      absl::string_view expected) {
  return absl::InvalidArgumentError(
      absl::StrCat(flag, ": '", value, "' is not ", expected));
}

bool AllDigits(absl::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

absl::Status ParseStart(absl::string_view value, SampleOptions& options) {
  // YYYY-MM, the year at or after 1970 and early enough that the window
  // ends before year 10000 (timestamps have four-digit years).
  constexpr absl::string_view kExpected =
      "a month as YYYY-MM (e.g. 2024-01), from 1970-01";
  if (value.size() != 7 || value[4] != '-' || !AllDigits(value.substr(0, 4)) ||
      !AllDigits(value.substr(5, 2))) {
    return BadValue("--start", value, kExpected);
  }
  int year = 0;
  int month = 0;
  if (!absl::SimpleAtoi(value.substr(0, 4), &year) ||
      !absl::SimpleAtoi(value.substr(5, 2), &month) || year < 1970 ||
      month < 1 || month > 12) {
    return BadValue("--start", value, kExpected);
  }
  options.start_year = year;
  options.start_month = month;
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<Invocation> ParseCommandLine(
    const std::vector<std::string>& args) {
  Invocation invocation;
  SampleOptions& options = invocation.options;
  for (size_t i = 0; i < args.size(); ++i) {
    absl::string_view arg = args[i];
    if (arg == "--help" || arg == "-h") {
      invocation.help = true;
      continue;
    }
    if (!absl::StartsWith(arg, "--")) {
      return absl::InvalidArgumentError(absl::StrCat(
          "unexpected argument '", arg, "': every option is a --flag"));
    }
    absl::string_view flag = arg;
    std::string value;
    if (const size_t eq = arg.find('='); eq != absl::string_view::npos) {
      flag = arg.substr(0, eq);
      value = std::string(arg.substr(eq + 1));
    } else if (flag == "--customers" || flag == "--seed" ||
               flag == "--months" || flag == "--start" || flag == "--out") {
      if (i + 1 >= args.size()) {
        return absl::InvalidArgumentError(
            absl::StrCat(flag, ": missing value"));
      }
      value = args[++i];
    }
    if (flag == "--customers") {
      int64_t n = 0;
      if (!AllDigits(value) || !absl::SimpleAtoi(value, &n) || n < 1 ||
          n > kMaxCustomers) {
        return BadValue(
            flag, value,
            absl::StrCat("a whole number from 1 to ", kMaxCustomers));
      }
      options.customers = n;
    } else if (flag == "--seed") {
      uint64_t seed = 0;
      if (!AllDigits(value) || !absl::SimpleAtoi(value, &seed)) {
        return BadValue(flag, value,
                        "a whole number from 0 to 18446744073709551615");
      }
      options.seed = seed;
    } else if (flag == "--months") {
      int months = 0;
      if (!AllDigits(value) || !absl::SimpleAtoi(value, &months) ||
          months < 1 || months > kMaxMonths) {
        return BadValue(flag, value,
                        absl::StrCat("a whole number from 1 to ", kMaxMonths));
      }
      options.months = months;
    } else if (flag == "--start") {
      if (absl::Status status = ParseStart(value, options); !status.ok()) {
        return status;
      }
    } else if (flag == "--out") {
      if (value.empty()) return BadValue(flag, value, "a directory");
      options.out = value;
    } else if (flag == "--help") {
      return absl::InvalidArgumentError("--help: takes no value");
    } else {
      return absl::InvalidArgumentError(
          absl::StrCat("unknown option '", flag, "'"));
    }
  }
  // Four-digit years in every timestamp, manifest.json's window_end (the
  // first instant after the last month) included: it must be in 9999.
  if (options.start_year * 12 + (options.start_month - 1) + options.months >
      9999 * 12 + 11) {
    return absl::InvalidArgumentError(
        "--start/--months: the window would end after 9999-12-01 (timestamps "
        "have four-digit years)");
  }
  return invocation;
}

std::string Usage() {
  const SampleOptions defaults;
  return absl::StrCat(
      "kpi-sample: a deterministic sample data set of a subscription and\n"
      "commerce business, as CSV exports, to try kpi-service's metrics and\n"
      "reports on.\n\n"
      "usage: kpi-sample [--customers N] [--seed S] [--months M]\n"
      "                  [--start YYYY-MM] [--out DIR]\n\n"
      "  --customers N    customers to make (default ",
      defaults.customers, ", at most ", kMaxCustomers,
      ")\n"
      "  --seed S         seed of the random numbers, 0..2^64-1 (default ",
      defaults.seed,
      ")\n"
      "  --months M       months of history (default ",
      defaults.months, ", at most ", kMaxMonths,
      ")\n"
      "  --start YYYY-MM  the first month (default 2024-01)\n"
      "  --out DIR        where to write; created if missing (default ",
      defaults.out,
      ")\n"
      "  --help           this text\n\n"
      "The same options give byte-identical files on any machine. Memory does\n"
      "not grow with --customers.\n\n"
      "Files (RFC 4180 CSV, UTF-8, header row, comma, CRLF; instants in UTC\n"
      "as 2024-03-05T14:07:00Z, all inside the generated months; money in\n"
      "dollars as 29.00; an empty field is absent: an open end, no answer\n"
      "yet). Rows are grouped by customer, customers in id order; no file is\n"
      "sorted by time. manifest.json records the options, the window and\n"
      "the rows of each file.\n\n",
      DescribeFormats(),
      "\nExit status: 0 done; 1 the files could not be written; 2 a bad "
      "option.\nSee docs/reports.md for the business model.\n");
}

}  // namespace kpi::sample
