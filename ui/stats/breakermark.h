#pragma once

#include "breaker/breakerstate.h"
#include "clock/clock.h"

#include <QString>

namespace breakwater {

// One breaker_transition as the timeline marks it.
struct BreakerMark
{
    WallTime time;
    BreakerState from = BreakerState::Closed;
    BreakerState to = BreakerState::Closed;
    QString reason;  // "failure_rate", "health_probe_succeeded", ...
    QString message; // the sentence describing the window at the time
};

// Where a state sits on the timeline's y axis, best to worst: closed 0, half_open 1, open 2,
// forced_open 3, disabled 4. (BreakerState's own order is not this one.)
constexpr int breakerStateLevel(BreakerState state) noexcept
{
    switch (state) {
    case BreakerState::Closed:
        return 0;
    case BreakerState::HalfOpen:
        return 1;
    case BreakerState::Open:
        return 2;
    case BreakerState::ForcedOpen:
        return 3;
    case BreakerState::Disabled:
        return 4;
    }
    return 0;
}
inline constexpr int kBreakerStateLevelCount = 5;

constexpr BreakerState breakerStateAtLevel(int level) noexcept
{
    constexpr BreakerState kByLevel[kBreakerStateLevelCount] = {
        BreakerState::Closed, BreakerState::HalfOpen, BreakerState::Open, BreakerState::ForcedOpen,
        BreakerState::Disabled};
    return level >= 0 && level < kBreakerStateLevelCount ? kByLevel[level] : BreakerState::Closed;
}

} // namespace breakwater
