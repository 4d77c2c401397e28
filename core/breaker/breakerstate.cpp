#include "breakerstate.h"

namespace breakwater {

namespace {
constexpr const char* kStateNames[] = {"closed", "open", "half_open", "forced_open", "disabled"};
constexpr const char* kReasonNames[] = {
    "consecutive_failures",
    "failure_rate",
    "slow_call_rate",
    "open_wait_elapsed",
    "health_probe_succeeded",
    "health_probe_failed",
    "half_open_succeeded",
    "half_open_call_failed",
    "half_open_call_slow",
    "half_open_timed_out",
    "forced_open",
    "forced_closed",
    "disabled",
};
static_assert(std::size(kStateNames) == static_cast<std::size_t>(BreakerState::Disabled) + 1);
static_assert(std::size(kReasonNames) == static_cast<std::size_t>(TransitionReason::Disabled) + 1);
} // namespace

QString breakerStateName(BreakerState state)
{
    return QString::fromLatin1(kStateNames[static_cast<std::size_t>(state)]);
}

std::optional<BreakerState> breakerStateFromName(const QString& name)
{
    for (std::size_t i = 0; i < std::size(kStateNames); ++i) {
        if (name == QLatin1String(kStateNames[i]))
            return static_cast<BreakerState>(i);
    }
    return std::nullopt;
}

QString transitionReasonName(TransitionReason reason)
{
    return QString::fromLatin1(kReasonNames[static_cast<std::size_t>(reason)]);
}

} // namespace breakwater
