#pragma once

#include "callmetric.h"

#include <array>
#include <chrono>
#include <cstdint>
#include <optional>

namespace breakwater {

// The last few seconds summed up, for a status bar or a breaker panel: rates, error rate and
// latency percentiles over all of them (percentiles of the merged latencies, not an average of
// per-second percentiles).
struct CallTotals
{
    std::chrono::seconds span{0};
    std::array<std::uint64_t, kCallOutcomeCount> callsEnded{};
    std::uint64_t attempts = 0;
    std::uint64_t failedAttempts = 0;
    std::optional<double> latencyP50Ms; // absent when no attempt ended in the span
    std::optional<double> latencyP95Ms;
    std::optional<double> latencyP99Ms;

    std::uint64_t calls() const noexcept
    {
        std::uint64_t sum = 0;
        for (std::uint64_t n : callsEnded)
            sum += n;
        return sum;
    }
    std::uint64_t calls(CallOutcome outcome) const noexcept
    {
        return callsEnded[std::size_t(outcome)];
    }
    double callsPerSecond() const noexcept { return perSecond(calls()); }
    double attemptsPerSecond() const noexcept { return perSecond(attempts); }
    // Failed attempts over attempts, in percent; absent when there were no attempts.
    std::optional<double> errorRatePercent() const noexcept
    {
        if (attempts == 0)
            return std::nullopt;
        return 100.0 * double(failedAttempts) / double(attempts);
    }

private:
    double perSecond(std::uint64_t n) const noexcept
    {
        return span.count() > 0 ? double(n) / double(span.count()) : 0.0;
    }
};

} // namespace breakwater
