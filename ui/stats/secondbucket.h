#pragma once

#include "callmetric.h"
#include "latencyhistogram.h"

#include <array>
#include <cstdint>
#include <limits>
#include <memory>

namespace breakwater {

// What happened in one wall-clock second: calls ended by outcome, attempts, and attempt latencies.
struct SecondBucket
{
    static constexpr std::int64_t kUnused = std::numeric_limits<std::int64_t>::min();

    std::int64_t second = kUnused; // seconds since the epoch: which second the counts belong to
    std::array<std::uint32_t, kCallOutcomeCount> callsEnded{};
    std::uint32_t attempts = 0;
    std::uint32_t failedAttempts = 0;
    // Allocated on the first latency and kept when the slot is reused, so a quiet service costs
    // no histograms and a busy one allocates once.
    std::unique_ptr<LatencyHistogram> latency;

    // p50, p95, p99 of `latency`, worked out on the first query after it last changed: under
    // steady load only the newest seconds change between two chart refreshes.
    mutable std::array<double, 3> percentileCache{};
    mutable bool percentileCacheValid = false;

    void reset(std::int64_t newSecond) noexcept
    {
        second = newSecond;
        callsEnded.fill(0);
        attempts = failedAttempts = 0;
        if (latency)
            latency->clear();
        percentileCacheValid = false;
    }

    bool hasLatency() const noexcept { return latency && !latency->empty(); }

    const std::array<double, 3>& latencyPercentiles() const noexcept
    {
        if (!percentileCacheValid) {
            static constexpr std::array<double, 3> kPercents{50.0, 95.0, 99.0};
            if (latency)
                latency->percentiles(kPercents, percentileCache);
            else
                percentileCache.fill(0.0);
            percentileCacheValid = true;
        }
        return percentileCache;
    }
};

} // namespace breakwater
