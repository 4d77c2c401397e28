#pragma once

#include "breakerstatefamily.h"
#include "events/event.h"

#include <QString>

#include <array>

namespace prometheus {
class Counter;
class Histogram;
} // namespace prometheus

namespace breakwater {

struct EventFamilies;

// The series of one service, each label set resolved once when the service is first seen, so an
// event costs a switch and an atomic add rather than a label lookup. Stream thread only.
class ServiceMetrics final
{
public:
    ServiceMetrics(EventFamilies& families, const QString& service, BreakerState initial);
    ServiceMetrics(const ServiceMetrics&) = delete;
    ServiceMetrics& operator=(const ServiceMetrics&) = delete;

    const QString& service() const noexcept { return m_service; }

    void noteState(BreakerState state) noexcept { m_state.store(state, std::memory_order_relaxed); }
    void callEnded(const Event& event);
    void attemptEnded(bool succeeded, double latencyMs);
    void retryScheduled(const QString& reason);
    void transition(BreakerState from, BreakerState to);
    void healthProbe(bool healthy);

private:
    static constexpr std::size_t kStates = 5;

    EventFamilies& m_families;
    const QString m_service;
    BreakerStateFamily::StateCell& m_state;

    prometheus::Counter* m_succeeded;
    prometheus::Counter* m_retriedThenSucceeded;
    prometheus::Counter* m_failed;
    prometheus::Counter* m_skipped;
    prometheus::Counter* m_degraded;
    prometheus::Counter* m_notPermitted;
    prometheus::Counter* m_successfulWithoutRetry;
    prometheus::Counter* m_successfulWithRetry;
    prometheus::Counter* m_failedWithoutRetry;
    prometheus::Counter* m_failedWithRetry;
    prometheus::Counter* m_backoffRetries;
    prometheus::Counter* m_retryAfterRetries;
    prometheus::Histogram* m_attemptSucceeded;
    prometheus::Histogram* m_attemptFailed;
    prometheus::Counter* m_probesHealthy;
    prometheus::Counter* m_probesUnhealthy;
    // Made when a transition first happens: most of the 25 pairs never do.
    std::array<prometheus::Counter*, kStates * kStates> m_transitions{};
};

} // namespace breakwater
