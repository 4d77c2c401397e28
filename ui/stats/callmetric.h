#pragma once

#include <QtGlobal>

namespace breakwater {

// How a call ended, as the charts tell them apart. A call_succeeded that needed more than one
// attempt is RetriedThenSucceeded: it worked, but only because Breakwater retried.
enum class CallOutcome : quint8
{
    Succeeded,
    RetriedThenSucceeded,
    Failed,
    Skipped,
    Degraded
};
inline constexpr int kCallOutcomeCount = int(CallOutcome::Degraded) + 1;

// What CallStats::series() can draw, per one-second bucket.
enum class CallMetric : quint8
{
    // Calls ended in that second, one metric per CallOutcome, in the same order.
    SucceededCalls,
    RetriedThenSucceededCalls,
    FailedCalls,
    SkippedCalls,
    DegradedCalls,
    Attempts,       // attempts that ended (succeeded or failed)
    FailedAttempts, // attempts that failed
    ErrorRatePercent,
    LatencyP50Ms,
    LatencyP95Ms,
    LatencyP99Ms
};

constexpr CallMetric callsMetric(CallOutcome outcome) noexcept
{
    return CallMetric(int(outcome));
}

} // namespace breakwater
