// A fuzz target with a planted finding, to check the replay driver
// (replay_main.cc) itself: an input that starts with "boom" aborts, as a
// target's oracle does. The test over replay_check/ must name that file.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>

extern "C" int LLVMFuzzerInitialize(int*, char***) { return 0; }

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size >= 4 && std::memcmp(data, "boom", 4) == 0) std::abort();
  return 0;
}
