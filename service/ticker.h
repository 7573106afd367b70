// Ticker: one thread that calls Tick() on every registered object, every
// period -- how callback-API calls that wait on their client get a clock:
// a stream checks whether it has been idle too long, a health watch whether
// its status changed.
//
// The ticker holds weak references: an object that is freed simply drops
// out. Tick() runs on the ticker's thread with no lock of the ticker's held,
// so it may take the object's own locks and call into gRPC.
//
// Thread-safe.
#ifndef KPI_SERVICE_TICKER_H_
#define KPI_SERVICE_TICKER_H_

#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

namespace kpi {

class Ticker {
 public:
  using Clock = std::chrono::steady_clock;

  class Ticked {
   public:
    virtual ~Ticked() = default;
    virtual void Tick(Clock::time_point now) = 0;
  };

  explicit Ticker(std::chrono::milliseconds period);
  ~Ticker();
  Ticker(const Ticker&) = delete;
  Ticker& operator=(const Ticker&) = delete;

  void Add(std::weak_ptr<Ticked> ticked);
  // Ticks everything now rather than at the end of the period.
  void TickNow();

 private:
  void Run();

  const std::chrono::milliseconds period_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool woken_ = false;
  bool stopping_ = false;
  std::vector<std::weak_ptr<Ticked>> ticked_;
  std::thread thread_;
};

}  // namespace kpi

#endif  // KPI_SERVICE_TICKER_H_
