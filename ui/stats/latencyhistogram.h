#pragma once

#include <array>
#include <cstdint>
#include <span>

namespace breakwater {

// Attempt latencies of one second, in fixed log-scale bins: 16 bins per power of two from about
// 8 µs to about 35 minutes. Memory stays the same under a flood (no vector of samples), and any
// percentile read back is within about 3% of the true sample, because a bin is at most 1/16 of
// its lower edge wide and the answer is its midpoint, clamped to the smallest and largest sample.
class LatencyHistogram final
{
public:
    static constexpr int kBinsPerOctave = 16;
    static constexpr int kLowestExponent = -6;  // frexp exponent: values from 2^-7 ms
    static constexpr int kHighestExponent = 21; // values below 2^21 ms
    static constexpr int kBinCount = (kHighestExponent - kLowestExponent + 1) * kBinsPerOctave;

    void add(double latencyMs) noexcept;
    void merge(const LatencyHistogram& other) noexcept;
    void clear() noexcept;

    std::uint64_t count() const noexcept { return m_count; }
    bool empty() const noexcept { return m_count == 0; }

    // Nearest-rank percentile, percent in (0, 100]; 0 when empty.
    double percentile(double percent) const noexcept;
    // Several percentiles in one pass over the bins; percents ascending, out the same size.
    void percentiles(std::span<const double> percents, std::span<double> out) const noexcept;

    static int binOf(double latencyMs) noexcept;
    static double binMidpoint(int bin) noexcept;

private:
    std::array<std::uint32_t, kBinCount> m_bins{};
    std::uint64_t m_count = 0;
    double m_min = 0.0;
    double m_max = 0.0;
};

} // namespace breakwater
