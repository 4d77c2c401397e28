#pragma once

#include <QString>

#include <optional>

namespace breakwater {

// Closed lets calls through and watches them; Open rejects them until its wait is over; HalfOpen
// lets a few trial calls through to decide. ForcedOpen and Disabled are an operator's: they hold
// until an operator resets the breaker, whatever calls and probes say.
enum class BreakerState : quint8
{
    Closed,
    Open,
    HalfOpen,
    ForcedOpen,
    Disabled
};

// Why a breaker changed state. Names are stable: they appear in the log's `reason` field.
enum class TransitionReason : quint8
{
    ConsecutiveFailures, // closed -> open
    FailureRate,         // closed -> open
    SlowCallRate,        // closed -> open
    OpenWaitElapsed,     // open -> half_open
    HealthProbeSucceeded,
    HealthProbeFailed,
    HalfOpenSucceeded,  // half_open -> closed: enough trial calls or probes succeeded
    HalfOpenCallFailed, // half_open -> open
    HalfOpenCallSlow,   // half_open -> open
    HalfOpenTimedOut,   // half_open -> open: the watchdog fired before a verdict
    ForcedOpen,
    ForcedClosed,
    Disabled,
};

// "closed", "open", "half_open", "forced_open", "disabled": as written in the log.
QString breakerStateName(BreakerState state);
std::optional<BreakerState> breakerStateFromName(const QString& name);

// "consecutive_failures", "failure_rate", ...: as written in the log.
QString transitionReasonName(TransitionReason reason);

// Whether calls are let through in this state (trial calls in HalfOpen are rationed).
constexpr bool rejectsCalls(BreakerState state) noexcept
{
    return state == BreakerState::Open || state == BreakerState::ForcedOpen;
}

} // namespace breakwater
