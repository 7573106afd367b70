// kpi-sample's randomness: a small PRNG and the distributions the business
// model draws from, written out here so that a seed gives the same numbers
// on every machine.
//
// Why not <random>: the engines are specified, but std:: distributions are
// not (libstdc++ and libc++ draw different normals from the same engine),
// and <cmath>'s exp/log may differ in the last bit between C libraries.
// Everything here uses only IEEE-754 +, -, *, / and sqrt, which are
// correctly rounded everywhere, and the target is compiled with
// -ffp-contract=off so that no compiler fuses a multiply-add differently.
//
// Not thread-safe: an Rng is one stream, owned by one caller.

#ifndef KPI_CLIENTS_SAMPLE_RANDOM_H_
#define KPI_CLIENTS_SAMPLE_RANDOM_H_

#include <cstdint>

#include "absl/types/span.h"

namespace kpi::sample {

// One step of splitmix64 (Steele, Lea & Flood 2014): advances `state` and
// returns the next output. Used to seed xoshiro and to derive streams.
uint64_t SplitMix64(uint64_t& state);

// e^x and ln(x), portable to the last bit (see above). Accurate to a few
// units in the last place, which is all a simulation needs.
// REQUIRES: x > 0 for Log. Exp saturates outside [-700, 700].
double Exp(double x);
double Log(double x);

// xoshiro256** (Blackman & Vigna 2018): 256 bits of state, period 2^256 - 1.
class Rng {
 public:
  // The stream of `seed` for the object `index` of kind `stream` (e.g. the
  // customer with that id): streams of different objects are independent,
  // so a customer's data do not depend on how many customers came before.
  Rng(uint64_t seed, uint64_t stream, uint64_t index);

  uint64_t Next();

  // Uniform on [0, 1), 53 random bits.
  double Uniform();
  // Uniform on [lo, hi).
  double Uniform(double lo, double hi) { return lo + (hi - lo) * Uniform(); }
  // Uniform integer in [0, n), without modulo bias. REQUIRES: n > 0.
  uint64_t Below(uint64_t n);
  // True with probability p (p <= 0: never; p >= 1: always).
  bool Bernoulli(double p) { return Uniform() < p; }
  // Standard normal (Marsaglia's polar method).
  double Normal();
  double Normal(double mean, double sd) { return mean + sd * Normal(); }
  // e^Normal(mu, sigma): median e^mu.
  double LogNormal(double mu, double sigma) { return Exp(Normal(mu, sigma)); }
  // Exponential with the given mean. REQUIRES: mean > 0.
  double Exponential(double mean);
  // Poisson with the given mean (Knuth's product method for small means,
  // a rounded normal above 30, where the approximation is good enough).
  int64_t Poisson(double mean);
  // Gamma(shape, scale) (Marsaglia & Tsang 2000). REQUIRES: shape, scale > 0.
  double Gamma(double shape, double scale);
  // An index i with probability weights[i] / sum(weights).
  // REQUIRES: weights non-empty, each >= 0, sum > 0.
  int Categorical(absl::Span<const double> weights);

 private:
  uint64_t s_[4];
};

}  // namespace kpi::sample

#endif  // KPI_CLIENTS_SAMPLE_RANDOM_H_
