// CallKeys: the key dictionaries of one call, one per KEY input of its
// metric (key_dictionary.h), and the binding of a KEY column -- sent as
// strings, int64s or dictionary-encoded -- to the call's codes. Every chunk
// and every state of the call (segments, the parts of a conformance check)
// sees the same dictionaries, which is what lets plugins merge per-code
// state directly.
//
// A CallKeys must outlive every plugin state given its dictionaries. Not
// thread-safe: the call's chunks are bound one at a time.
#ifndef KPI_HOST_CALL_KEYS_H_
#define KPI_HOST_CALL_KEYS_H_

#include <cstdint>
#include <memory>
#include <vector>

#include "absl/status/status.h"
#include "call_args.h"
#include "key_dictionary.h"
#include "kpi/plugin_abi.h"

namespace kpi {

class CallKeys {
 public:
  // The most distinct keys one KEY input of one call may hold by default
  // (kpi-server --max-distinct-keys).
  static constexpr uint64_t kDefaultMaxKeys = 10000000;

  CallKeys(const kpi_metric_descriptor& metric, uint64_t max_keys);
  CallKeys(const CallKeys&) = delete;
  CallKeys& operator=(const CallKeys&) = delete;

  // The codes of KEY input `input` (its declaration index) for the rows of
  // `arg` -- a STRING, INT64 or dictionary-encoded (KPI_TYPE_KEY) column --
  // into `codes` (arg.length of them). INVALID_ARGUMENT names the input and
  // the row (numbered from `row_offset`): an empty key, a code outside the
  // caller's dictionary, an empty dictionary entry; RESOURCE_EXHAUSTED past
  // the distinct-key limit, saying how to raise it.
  absl::Status Bind(size_t input, const ColumnArg& arg, uint64_t row_offset,
                    int32_t* codes);

  // REQUIRES: `input` is a KEY input. Valid as long as this object.
  const kpi_key_dictionary* dictionary(size_t input) const {
    return inputs_[input].dictionary->abi();
  }

 private:
  absl::Status BindEncoded(size_t input, const ColumnArg& arg,
                           uint64_t row_offset, int32_t* codes);

  struct Input {
    const kpi_input_spec* spec = nullptr;
    std::unique_ptr<KeyDictionary> dictionary;  // null: not a KEY input
    // Dictionary-encoded columns: the caller's code -> the call's code.
    std::vector<int32_t> from_caller;
  };
  std::vector<Input> inputs_;
};

}  // namespace kpi

#endif  // KPI_HOST_CALL_KEYS_H_
