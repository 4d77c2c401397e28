#pragma once

#include "events/event.h"

#include <QString>

#include <optional>

namespace breakwater {

// How a call ended, as its terminal event says. A call whose pending retry was stopped by an
// opening breaker ends as call_failed (reason breaker_open): it is counted as failed, like the log.
enum class CallEnding : quint8
{
    Succeeded,
    Failed,
    Skipped,
    Degraded
};
inline constexpr int kCallEndingCount = int(CallEnding::Degraded) + 1;

constexpr std::optional<CallEnding> callEndingOf(EventType type) noexcept
{
    switch (type) {
    case EventType::CallSucceeded:
        return CallEnding::Succeeded;
    case EventType::CallFailed:
        return CallEnding::Failed;
    case EventType::CallSkipped:
        return CallEnding::Skipped;
    case EventType::CallDegraded:
        return CallEnding::Degraded;
    default:
        return std::nullopt;
    }
}

// "succeeded", "failed", "skipped", "degraded".
QString callEndingName(CallEnding ending);

} // namespace breakwater
