// The requests kpi-server sends a plugin worker and the replies it gets,
// over a channel: a SharedBuffer that carries the message itself, announced
// by the channel's number in the process's WorkerMailbox.
//
// A request is a sequence of operations on calls, run in order; the reply
// is the status of the first that failed (or OK) and, after kFinish, the
// serialized MetricResult. A call lives in the worker from kOpen to kFinish,
// its first failure, or kDrop.
//
//   kOpen    call id, metric index, the bound parameters, group_by names
//   kUpdate  call id, one validated chunk (columns in declaration order) and
//            its group_by key columns; a KEY input travels as its codes and
//            the entries the call's dictionary gained since the last kUpdate
//            (the worker keeps a copy of each dictionary per call)
//   kFinish  call id
//   kDrop    call id (a call the server abandoned; never fails)
#ifndef KPI_HOST_WORKER_PROTOCOL_H_
#define KPI_HOST_WORKER_PROTOCOL_H_

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "bound_params.h"
#include "call_args.h"
#include "key_dictionary.h"
#include "kpi/plugin_abi.h"
#include "wire.h"

namespace kpi {

enum class WorkerOp : uint32_t {
  kOpen = 1,
  kUpdate = 2,
  kFinish = 3,
  kDrop = 4
};

void WriteOpen(WireWriter& out, uint64_t call, uint32_t metric_index,
               const BoundParams& params,
               const std::vector<std::string>& group_by);
// `entries_sent` (one per declared input, kept by the caller for the call)
// counts the dictionary entries of each KEY input already sent; updated.
void WriteUpdate(WireWriter& out, uint64_t call, const kpi_chunk& chunk,
                 const std::vector<ColumnArg>& keys,
                 std::vector<uint64_t>& entries_sent);
void WriteCallOp(WireWriter& out, WorkerOp op, uint64_t call);

// A kOpen as the worker reads it; strings point into the message.
struct OpenRequest {
  uint64_t call = 0;
  uint32_t metric_index = 0;
  std::vector<kpi_param_value> params;
  std::vector<std::string> group_by;
};
bool ReadOpen(WireReader& in, OpenRequest& open);

// A kUpdate as the worker reads it: a kpi_chunk whose numeric columns point
// into the message and whose strings are views into it.
struct UpdateRequest {
  uint64_t call = 0;
  kpi_chunk chunk{};
  std::vector<kpi_column> columns;
  std::vector<ColumnArg> keys;
  std::vector<std::vector<kpi_string_view>> views;
  // KEY inputs: their codes, and the entries they add to the call's
  // dictionaries, the first of them with code `first_entry`.
  struct KeyUpdate {
    size_t input = 0;
    const int32_t* codes = nullptr;
    uint64_t first_entry = 0;
    std::vector<kpi_string_view> entries;
  };
  std::vector<KeyUpdate> key_updates;
  std::vector<kpi_key_column> key_columns;
};
bool ReadUpdate(WireReader& in, UpdateRequest& update);

// Appends an update's key entries to the call's dictionaries `texts` (one
// per declared input, made on first use) and points update.chunk.keys at
// them. DATA_LOSS for entries out of sequence or a code past its
// dictionary: the plugin indexes arrays by code.
absl::Status ApplyKeys(UpdateRequest& update,
                       std::vector<std::unique_ptr<KeyTexts>>& texts);

void WriteReply(WireWriter& out, const absl::Status& status,
                const std::string& result);
// The status the worker replied; `result` gets the MetricResult bytes.
// DATA_LOSS when the reply is malformed.
absl::Status ReadReply(WireReader& in, std::string* result);

}  // namespace kpi

#endif  // KPI_HOST_WORKER_PROTOCOL_H_
