#include "breakerpanelstate.h"

namespace breakwater {

BreakerPanelState::BreakerPanelState(QString service)
    : m_service(std::move(service))
{}

void BreakerPanelState::appendEvents(std::span<const Event> events)
{
    for (const Event& event : events) {
        if (event.service != m_service)
            continue;
        m_seen = true;
        if (event.type == EventType::BreakerTransition) {
            onTransition(event);
            continue;
        }
        if (event.state)
            m_state = *event.state;
        if (event.type == EventType::CallSkipped) {
            ++m_skippedTotal;
            if (rejectsCalls(m_state))
                ++m_skippedSinceOpen;
        }
    }
}

void BreakerPanelState::onTransition(const Event& event)
{
    ++m_transitions;
    if (event.toState)
        m_state = *event.toState;
    m_lastTransitionAt = event.time;
    m_lastFrom = event.fromState;
    m_lastWhy = event.message;
    m_halfOpenDue.reset();
    if (m_state == BreakerState::Open && event.delayMs)
        m_halfOpenDue = event.time + std::chrono::milliseconds(*event.delayMs);
    // A breaker that opens again straight after a failed trial keeps counting the same outage.
    if (!rejectsCalls(m_state) && m_state != BreakerState::HalfOpen)
        m_skippedSinceOpen = 0;
}

QString breakerStateLabel(BreakerState state)
{
    switch (state) {
    case BreakerState::Closed:
        return QStringLiteral("CLOSED");
    case BreakerState::Open:
        return QStringLiteral("OPEN");
    case BreakerState::HalfOpen:
        return QStringLiteral("HALF-OPEN");
    case BreakerState::ForcedOpen:
        return QStringLiteral("FORCED OPEN");
    case BreakerState::Disabled:
        return QStringLiteral("DISABLED");
    }
    return {};
}

} // namespace breakwater
