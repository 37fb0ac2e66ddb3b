// The fully specified pseudo-random numbers behind every seeded choice of generation and
// scheduling: SplitMix64 (Steele, Lea and Flood 2014) and 64-bit FNV-1a for strings. Never a
// std:: distribution, whose results differ between standard libraries.
#ifndef REGIMEN_SRC_GENERATOR_RANDOM_H_
#define REGIMEN_SRC_GENERATOR_RANDOM_H_

#include <cstdint>

#include "absl/strings/string_view.h"

namespace regimen::internal {

// One SplitMix64 step: advances *state and returns the next 64 random bits.
inline uint64_t SplitMix64(uint64_t* state) {
  uint64_t z = (*state += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

// 64-bit FNV-1a of `text`.
inline uint64_t Fnv1a64(absl::string_view text) {
  uint64_t hash = 0xcbf29ce484222325ULL;
  for (unsigned char c : text) {
    hash ^= c;
    hash *= 0x100000001b3ULL;
  }
  return hash;
}

// A seeded stream of numbers.
class Random {
 public:
  explicit Random(uint64_t seed) : state_(seed) {}
  uint64_t Next() { return SplitMix64(&state_); }
  // Uniform in [0, n) for n ≥ 1, by the multiply-high method (no modulo of a small range).
  uint64_t Below(uint64_t n) { return MulHigh(Next(), n); }

  // The high 64 bits of a × b, portably (no __int128 on 32-bit targets).
  static uint64_t MulHigh(uint64_t a, uint64_t b) {
    const uint64_t a_lo = a & 0xffffffffULL, a_hi = a >> 32;
    const uint64_t b_lo = b & 0xffffffffULL, b_hi = b >> 32;
    const uint64_t lo_lo = a_lo * b_lo, hi_lo = a_hi * b_lo, lo_hi = a_lo * b_hi;
    const uint64_t cross = (lo_lo >> 32) + (hi_lo & 0xffffffffULL) + lo_hi;
    return a_hi * b_hi + (hi_lo >> 32) + (cross >> 32);
  }

 private:
  uint64_t state_;
};

// Mixes several values into one seed, order-sensitively.
inline uint64_t MixSeed(uint64_t a, uint64_t b) {
  uint64_t state = a ^ (b * 0x9e3779b97f4a7c15ULL);
  return SplitMix64(&state);
}

}  // namespace regimen::internal

#endif  // REGIMEN_SRC_GENERATOR_RANDOM_H_
