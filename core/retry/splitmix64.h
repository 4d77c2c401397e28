#pragma once

#include <cstdint>

namespace breakwater {

// A tiny, fast, seedable random source (Steele, Lea and Flood's SplitMix64). Jitter needs speed
// and reproducibility, not cryptographic strength: a seed makes every delay in a test repeatable.
class SplitMix64 final
{
public:
    explicit constexpr SplitMix64(std::uint64_t seed = 0) noexcept
        : m_state(seed)
    {}

    constexpr std::uint64_t next() noexcept
    {
        std::uint64_t z = (m_state += 0x9e3779b97f4a7c15ULL);
        z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
        z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
        return z ^ (z >> 31);
    }

    // Uniform in [0, 1): the top 53 bits fill a double's mantissa exactly.
    double nextUnit() noexcept { return static_cast<double>(next() >> 11) * 0x1.0p-53; }

private:
    std::uint64_t m_state;
};

} // namespace breakwater
