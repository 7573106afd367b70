#include "payloads.h"

#include <fstream>
#include <random>
#include <sstream>
#include <utility>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"

namespace kpi::bench {
namespace {

// Distinct chunks a bulk stream cycles through: enough that no chunk is
// parsed from a warm cache line of the previous one.
constexpr size_t kPoolSize = 8;

// The customers of CDNOW_master.txt (ids 1..23570): each tiled copy shifts
// the ids by this much, so copies are distinct customers.
constexpr int64_t kCdnowCustomers = 23570;

int64_t Micros(int year, int month, int day) {
  return absl::ToUnixMicros(
      absl::FromCivil(absl::CivilDay(year, month, day), absl::UTCTimeZone()));
}

v1::Value Int64Value(int64_t v) {
  v1::Value value;
  value.set_int64_value(v);
  return value;
}

// One chunk of nps scores (and segments), drawn from `seed`.
v1::ComputeStreamRequest NpsChunk(size_t rows, bool grouped, uint32_t seed) {
  std::mt19937_64 random(seed);
  std::uniform_int_distribution<int> score(0, 10);
  std::uniform_int_distribution<int64_t> segment(0, kSegments - 1);
  v1::ComputeStreamRequest chunk;
  v1::Column* scores = chunk.add_columns();
  scores->set_name("scores");
  auto* values = scores->mutable_doubles()->mutable_values();
  values->Reserve(static_cast<int>(rows));
  for (size_t i = 0; i < rows; ++i) values->Add(score(random));
  if (grouped) {
    v1::Column* segments = chunk.add_columns();
    segments->set_name("segment");
    auto* keys = segments->mutable_int64s()->mutable_values();
    keys->Reserve(static_cast<int>(rows));
    for (size_t i = 0; i < rows; ++i) keys->Add(segment(random));
  }
  return chunk;
}

absl::StatusOr<std::vector<Order>> ReadCdnow(const std::string& path) {
  std::ifstream in(path);
  if (!in) return absl::NotFoundError(absl::StrCat("cannot read ", path));
  std::string line;
  std::getline(in, line);  // header
  std::vector<Order> orders;
  while (std::getline(in, line)) {
    std::istringstream fields(line);
    int64_t customer = 0, date = 0;
    if (!(fields >> customer >> date)) continue;
    const int year = static_cast<int>(date / 10000);
    const int month = static_cast<int>(date / 100 % 100);
    const int day = static_cast<int>(date % 100);
    orders.push_back({customer, Micros(year, month, day)});
  }
  return orders;
}

}  // namespace

v1::ComputeNpsRequest SmallNpsRequest() {
  std::mt19937_64 random(42);
  std::uniform_int_distribution<int> score(0, 10);
  v1::ComputeNpsRequest request;
  for (int i = 0; i < 100; ++i) request.add_scores(score(random));
  return request;
}

v1::ComputeChurnRateRequest SmallChurnRequest() {
  v1::ComputeChurnRateRequest request;
  request.set_customers_at_start(1000);
  request.set_customers_lost(50);
  return request;
}

StreamPayload StreamPayload::Nps(uint64_t rows, size_t chunk_rows,
                                 bool grouped) {
  StreamPayload payload;
  payload.chunks_ = (rows + chunk_rows - 1) / chunk_rows;
  payload.rows_ = payload.chunks_ * chunk_rows;
  payload.first_ = NpsChunk(chunk_rows, grouped, 0);
  payload.first_.set_metric("nps");
  if (grouped) payload.first_.add_group_by("segment");
  for (uint32_t i = 1; i <= kPoolSize; ++i) {
    payload.pool_.push_back(NpsChunk(chunk_rows, grouped, i));
  }
  return payload;
}

StreamPayload StreamPayload::Records(const std::vector<Order>& orders,
                                     int copies, int64_t id_stride,
                                     size_t chunk_rows, KeyForm keys) {
  std::vector<v1::ComputeStreamRequest> chunks;
  v1::ComputeStreamRequest chunk;
  size_t rows_in_chunk = 0;
  // kCodes: the caller's dictionary, customer -> code.
  absl::flat_hash_map<int64_t, uint32_t> code_of;
  auto flush = [&] {
    chunks.push_back(std::move(chunk));
    chunk = v1::ComputeStreamRequest();
    rows_in_chunk = 0;
  };
  for (int copy = 0; copy < copies; ++copy) {
    for (const Order& order : orders) {
      if (chunk.columns_size() == 0) {
        chunk.add_columns()->set_name("customer");
        chunk.add_columns()->set_name("time");
      }
      const int64_t customer = order.customer + copy * id_stride;
      v1::Column& column = *chunk.mutable_columns(0);
      switch (keys) {
        case KeyForm::kStrings:
          column.mutable_strings()->add_values(absl::StrCat(customer));
          break;
        case KeyForm::kInt64s:
          column.mutable_int64s()->add_values(customer);
          break;
        case KeyForm::kCodes: {
          const auto [at, added] =
              code_of.emplace(customer, static_cast<uint32_t>(code_of.size()));
          if (added) column.mutable_keys()->add_entries(absl::StrCat(customer));
          column.mutable_keys()->add_codes(at->second);
          break;
        }
      }
      chunk.mutable_columns(1)->mutable_timestamps()->add_unix_micros(
          order.time);
      if (++rows_in_chunk == chunk_rows) flush();
    }
  }
  if (chunk.columns_size() > 0) flush();

  StreamPayload payload;
  payload.chunks_ = chunks.size();
  payload.rows_ = orders.size() * static_cast<uint64_t>(copies);
  payload.first_ = std::move(chunks[0]);
  payload.pool_.assign(std::make_move_iterator(chunks.begin() + 1),
                       std::make_move_iterator(chunks.end()));
  return payload;
}

absl::StatusOr<StreamPayload> StreamPayload::RepeatPurchaseRecords(
    const std::string& cdnow_path, int copies, size_t chunk_rows,
    KeyForm keys) {
  absl::StatusOr<std::vector<Order>> orders = ReadCdnow(cdnow_path);
  if (!orders.ok()) return orders.status();
  StreamPayload payload =
      Records(*orders, copies, kCdnowCustomers, chunk_rows, keys);
  payload.first_.set_metric("repeat_purchase_rate");
  // The whole CDNOW period: 1997-01-01 to 1998-06-30.
  (*payload.first_.mutable_parameters())["window_start"] =
      Int64Value(Micros(1997, 1, 1));
  (*payload.first_.mutable_parameters())["window_end"] =
      Int64Value(Micros(1998, 7, 1));
  return payload;
}

absl::StatusOr<StreamPayload> StreamPayload::BgnbdTransactions(
    const std::string& path, int64_t calibration_end_us, size_t chunk_rows) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return absl::NotFoundError(absl::StrCat("cannot read ", path));
  std::vector<Order> orders;
  Order order;
  while (in.read(reinterpret_cast<char*>(&order), sizeof(order))) {
    orders.push_back(order);
  }
  if (in.gcount() != 0 || orders.empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat(path, " is not whole (customer, time) int64 pairs"));
  }
  StreamPayload payload = Records(orders, /*copies=*/1, /*id_stride=*/0,
                                  chunk_rows, KeyForm::kInt64s);
  payload.first_.set_metric("bgnbd");
  (*payload.first_.mutable_parameters())["calibration_end"] =
      Int64Value(calibration_end_us);
  return payload;
}

}  // namespace kpi::bench
