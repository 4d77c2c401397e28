#pragma once

#include "breaker/breakerstate.h"
#include "clock/clock.h"
#include "events/event.h"

#include <QString>

#include <cstdint>
#include <optional>
#include <span>

namespace breakwater {

// What a breaker panel knows of one service from the event stream: the state after the latest
// event, the last transition and why it happened, when an open breaker tries half-open again, and
// how many calls it skipped since it stopped letting calls through. Kept apart from the widget so
// it can be checked without one.
class BreakerPanelState final
{
public:
    explicit BreakerPanelState(QString service);

    void appendEvents(std::span<const Event> events);

    const QString& service() const noexcept { return m_service; }
    BreakerState state() const noexcept { return m_state; }
    // Whether any event of the service has been seen (before that the state is assumed closed).
    bool hasEvents() const noexcept { return m_seen; }
    std::optional<WallTime> lastTransitionAt() const noexcept { return m_lastTransitionAt; }
    // "5 consecutive failures (threshold 5); open for 10.0 s": the breaker's own account.
    const QString& lastTransitionWhy() const noexcept { return m_lastWhy; }
    std::optional<BreakerState> lastTransitionFrom() const noexcept { return m_lastFrom; }
    // Open only: when the half-open trial is due.
    std::optional<WallTime> halfOpenDueAt() const noexcept { return m_halfOpenDue; }
    // Calls skipped since the breaker last stopped letting calls through (0 once it lets them
    // through again), and ever.
    std::uint64_t skippedSinceOpen() const noexcept { return m_skippedSinceOpen; }
    std::uint64_t skippedTotal() const noexcept { return m_skippedTotal; }
    std::uint64_t transitions() const noexcept { return m_transitions; }

private:
    void onTransition(const Event& event);

    const QString m_service;
    BreakerState m_state = BreakerState::Closed;
    bool m_seen = false;
    std::optional<WallTime> m_lastTransitionAt;
    std::optional<BreakerState> m_lastFrom;
    QString m_lastWhy;
    std::optional<WallTime> m_halfOpenDue;
    std::uint64_t m_skippedSinceOpen = 0;
    std::uint64_t m_skippedTotal = 0;
    std::uint64_t m_transitions = 0;
};

// "CLOSED", "OPEN", "HALF-OPEN", "FORCED OPEN", "DISABLED": the state in words, for people.
QString breakerStateLabel(BreakerState state);

} // namespace breakwater
