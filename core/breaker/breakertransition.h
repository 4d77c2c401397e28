#pragma once

#include "breakerconfig.h"
#include "breakerstate.h"
#include "windowcounts.h"

#include <QString>

#include <cstdint>

namespace breakwater {

// The window as it stood when a breaker decided, with the thresholds it was judged against: the
// answer to "why is this breaker open?".
struct WindowSnapshot
{
    WindowCounts counts;
    int consecutiveFailures = 0;
    WindowKind windowKind = WindowKind::Count;
    int windowSize = 0;
    int minimumCalls = 0;
    int consecutiveFailureThreshold = 0;
    double failureRateThreshold = 0.0;
    double slowCallRateThreshold = 0.0;
};

struct BreakerTransition
{
    QString service;
    BreakerState from = BreakerState::Closed;
    BreakerState to = BreakerState::Closed;
    TransitionReason reason = TransitionReason::ForcedClosed;
    WindowSnapshot window;
    TimePoint at;
    WallTime wallTime;
    Duration openWait{0};         // how long the breaker stays open, when `to` is Open
    std::uint64_t generation = 0; // grows with every transition: orders reports from many threads
};

// One sentence for people: "5 consecutive failures (threshold 5)", "failure rate 60.0% of 10
// calls (threshold 50.0%)", "open wait of 10.0 s elapsed".
QString describeTransition(const BreakerTransition& transition);

} // namespace breakwater
