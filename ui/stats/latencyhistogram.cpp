#include "latencyhistogram.h"

#include <algorithm>
#include <cmath>

namespace breakwater {

int LatencyHistogram::binOf(double latencyMs) noexcept
{
    // NaN and non-positive values fall in the first bin rather than poisoning the arithmetic.
    if (!(latencyMs > 0.0))
        return 0;
    int exponent = 0;
    const double mantissa = std::frexp(latencyMs, &exponent); // [0.5, 1)
    if (exponent < kLowestExponent)
        return 0;
    if (exponent > kHighestExponent)
        return kBinCount - 1;
    const int sub = std::min(kBinsPerOctave - 1, int((mantissa - 0.5) * 2 * kBinsPerOctave));
    return (exponent - kLowestExponent) * kBinsPerOctave + sub;
}

double LatencyHistogram::binMidpoint(int bin) noexcept
{
    const int exponent = bin / kBinsPerOctave + kLowestExponent;
    const int sub = bin % kBinsPerOctave;
    const double mantissa = 0.5 + (sub + 0.5) / (2.0 * kBinsPerOctave);
    return std::ldexp(mantissa, exponent);
}

void LatencyHistogram::add(double latencyMs) noexcept
{
    ++m_bins[std::size_t(binOf(latencyMs))];
    if (m_count == 0 || latencyMs < m_min)
        m_min = latencyMs;
    if (m_count == 0 || latencyMs > m_max)
        m_max = latencyMs;
    ++m_count;
}

void LatencyHistogram::merge(const LatencyHistogram& other) noexcept
{
    if (other.m_count == 0)
        return;
    for (std::size_t i = 0; i < m_bins.size(); ++i)
        m_bins[i] += other.m_bins[i];
    m_min = m_count == 0 ? other.m_min : std::min(m_min, other.m_min);
    m_max = m_count == 0 ? other.m_max : std::max(m_max, other.m_max);
    m_count += other.m_count;
}

void LatencyHistogram::clear() noexcept
{
    if (m_count == 0)
        return;
    m_bins.fill(0);
    m_count = 0;
    m_min = m_max = 0.0;
}

double LatencyHistogram::percentile(double percent) const noexcept
{
    double out = 0.0;
    percentiles(std::span(&percent, 1), std::span(&out, 1));
    return out;
}

void LatencyHistogram::percentiles(std::span<const double> percents,
                                   std::span<double> out) const noexcept
{
    std::size_t next = 0;
    if (m_count == 0) {
        std::fill(out.begin(), out.end(), 0.0);
        return;
    }
    std::uint64_t seen = 0;
    for (int bin = 0; bin < kBinCount && next < percents.size(); ++bin) {
        seen += m_bins[std::size_t(bin)];
        while (next < percents.size()) {
            const double wanted = std::ceil(percents[next] / 100.0 * double(m_count));
            const auto rank = std::max<std::uint64_t>(1, std::uint64_t(std::max(0.0, wanted)));
            if (seen < rank)
                break;
            out[next++] = std::clamp(binMidpoint(bin), m_min, m_max);
        }
    }
    for (; next < percents.size(); ++next)
        out[next] = m_max;
}

} // namespace breakwater
