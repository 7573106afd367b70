#include "random.h"

#include <cfloat>
#include <cmath>
#include <cstring>

namespace kpi::sample {
namespace {

uint64_t Rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }

// ln 2 split into a part with trailing zero bits (so k * kLn2Hi is exact
// for the |k| <= 1100 that Exp and Log use) and the rest.
constexpr double kLn2Hi = 6.93147180369123816490e-01;
constexpr double kLn2Lo = 1.90821492927058770002e-10;
constexpr double kLn2 = 0.69314718055994530942;

// x * 2^k by building the power of two from its bits: exact, no libm.
double ScaleByPowerOfTwo(double x, int k) {
  while (k > 1000) {
    x *= 0x1p1000;
    k -= 1000;
  }
  while (k < -1000) {
    x *= 0x1p-1000;
    k += 1000;
  }
  const uint64_t bits = static_cast<uint64_t>(1023 + k) << 52;
  double scale;
  std::memcpy(&scale, &bits, sizeof scale);
  return x * scale;
}

}  // namespace

uint64_t SplitMix64(uint64_t& state) {
  uint64_t z = (state += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

double Exp(double x) {
  if (x > 700) x = 700;
  if (x < -700) x = -700;
  // x = k ln2 + r with |r| <= ln2 / 2, then e^r by its Taylor series: 14
  // terms leave an error below 1e-17 for |r| <= 0.35.
  const double kf = x / kLn2;
  const int k = static_cast<int>(kf < 0 ? kf - 0.5 : kf + 0.5);
  const double r = (x - k * kLn2Hi) - k * kLn2Lo;
  double term = 1.0;
  double sum = 1.0;
  for (int n = 1; n <= 14; ++n) {
    term = term * r / n;
    sum += term;
  }
  return ScaleByPowerOfTwo(sum, k);
}

double Log(double x) {
  if (!(x > 0)) return -DBL_MAX;  // callers never pass 0; keep it finite
  // x = m * 2^e with m in [sqrt(1/2), sqrt(2)), read from the bits (x is
  // normal here: the model never takes logs of subnormals), then
  // ln m = 2 atanh(s), s = (m - 1) / (m + 1), |s| <= 0.172.
  uint64_t bits;
  std::memcpy(&bits, &x, sizeof bits);
  int e = static_cast<int>((bits >> 52) & 0x7ff) - 1023;
  bits = (bits & 0x000fffffffffffffULL) | (uint64_t{1023} << 52);
  double m;
  std::memcpy(&m, &bits, sizeof m);
  if (m > 1.4142135623730951) {
    m = m / 2;
    ++e;
  }
  const double s = (m - 1) / (m + 1);
  const double s2 = s * s;
  double power = s;
  double sum = 0;
  for (int n = 1; n <= 23; n += 2) {
    sum += power / n;
    power *= s2;
  }
  return (e * kLn2Hi + 2 * sum) + e * kLn2Lo;
}

Rng::Rng(uint64_t seed, uint64_t stream, uint64_t index) {
  // Mix the three numbers through splitmix64 one after the other, so that
  // nearby seeds, streams and indexes give unrelated states.
  uint64_t state = seed;
  state = SplitMix64(state) ^ stream;
  state = SplitMix64(state) ^ index;
  for (uint64_t& word : s_) word = SplitMix64(state);
  if ((s_[0] | s_[1] | s_[2] | s_[3]) == 0) s_[0] = 1;  // the one bad state
}

uint64_t Rng::Next() {
  const uint64_t result = Rotl(s_[1] * 5, 7) * 9;
  const uint64_t t = s_[1] << 17;
  s_[2] ^= s_[0];
  s_[3] ^= s_[1];
  s_[1] ^= s_[2];
  s_[0] ^= s_[3];
  s_[2] ^= t;
  s_[3] = Rotl(s_[3], 45);
  return result;
}

double Rng::Uniform() { return (Next() >> 11) * 0x1.0p-53; }

uint64_t Rng::Below(uint64_t n) {
  // Rejection of the top partial block of 2^64 (Lemire's threshold).
  const uint64_t threshold = (0 - n) % n;
  while (true) {
    const uint64_t x = Next();
    if (x >= threshold) return x % n;
  }
}

double Rng::Normal() {
  while (true) {
    const double u = Uniform(-1, 1);
    const double v = Uniform(-1, 1);
    const double s = u * u + v * v;
    if (s > 0 && s < 1) return u * std::sqrt(-2 * Log(s) / s);
  }
}

double Rng::Exponential(double mean) { return -mean * Log(1 - Uniform()); }

int64_t Rng::Poisson(double mean) {
  if (mean <= 0) return 0;
  if (mean > 30) {
    const double x = Normal(mean, std::sqrt(mean));
    return x < 0 ? 0 : static_cast<int64_t>(x + 0.5);
  }
  const double limit = Exp(-mean);
  int64_t k = 0;
  double product = Uniform();
  while (product > limit) {
    ++k;
    product *= Uniform();
  }
  return k;
}

double Rng::Gamma(double shape, double scale) {
  if (shape < 1) {
    // Boost to shape + 1 and scale back by U^(1/shape) (Marsaglia & Tsang).
    const double u = 1 - Uniform();
    return Gamma(shape + 1, scale) * Exp(Log(u) / shape);
  }
  const double d = shape - 1.0 / 3;
  const double c = 1 / std::sqrt(9 * d);
  while (true) {
    double x;
    double v;
    do {
      x = Normal();
      v = 1 + c * x;
    } while (v <= 0);
    v = v * v * v;
    const double u = 1 - Uniform();
    if (Log(u) < 0.5 * x * x + d - d * v + d * Log(v)) return d * v * scale;
  }
}

int Rng::Categorical(absl::Span<const double> weights) {
  double total = 0;
  for (double w : weights) total += w;
  double x = Uniform() * total;
  for (size_t i = 0; i + 1 < weights.size(); ++i) {
    if (x < weights[i]) return static_cast<int>(i);
    x -= weights[i];
  }
  return static_cast<int>(weights.size() - 1);
}

}  // namespace kpi::sample
