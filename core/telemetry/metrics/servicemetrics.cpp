#include "servicemetrics.h"

#include "eventfamilies.h"

namespace breakwater {
namespace {

// Why a call the breaker refused ended: before its first attempt (call_skipped) or before a
// retry (call_failed); callrun.cpp names them.
bool refusedByBreaker(const QString& reason) noexcept
{
    return reason == QLatin1StringView("breaker_open") ||
           reason == QLatin1StringView("half_open_trials_taken");
}

} // namespace

ServiceMetrics::ServiceMetrics(EventFamilies& families, const QString& service,
                               BreakerState initial)
    : m_families(families)
    , m_service(service)
    , m_state(families.breakerStates->addService(service, initial))
{
    const std::string name = service.toStdString();
    auto outcome = [&](const char* value) {
        return &families.calls.Add({{"service", name}, {"outcome", value}});
    };
    m_succeeded = outcome("succeeded");
    m_retriedThenSucceeded = outcome("retried_then_succeeded");
    m_failed = outcome("failed");
    m_skipped = outcome("skipped");
    m_degraded = outcome("degraded");
    m_notPermitted = &families.notPermittedCalls.Add({{"service", name}});

    auto kind = [&](const char* value) {
        return &families.retryCalls.Add({{"service", name}, {"kind", value}});
    };
    m_successfulWithoutRetry = kind("successful_without_retry");
    m_successfulWithRetry = kind("successful_with_retry");
    m_failedWithoutRetry = kind("failed_without_retry");
    m_failedWithRetry = kind("failed_with_retry");

    auto retries = [&](const char* value) {
        return &families.retriesScheduled.Add({{"service", name}, {"reason", value}});
    };
    m_backoffRetries = retries("backoff");
    m_retryAfterRetries = retries("retry_after");

    auto attempts = [&](const char* value) {
        return &families.attemptDuration.Add({{"service", name}, {"result", value}},
                                             EventFamilies::attemptBuckets());
    };
    m_attemptSucceeded = attempts("succeeded");
    m_attemptFailed = attempts("failed");

    auto probes = [&](const char* value) {
        return &families.healthProbes.Add({{"service", name}, {"result", value}});
    };
    m_probesHealthy = probes("healthy");
    m_probesUnhealthy = probes("unhealthy");
}

void ServiceMetrics::callEnded(const Event& event)
{
    const bool retried = event.attempt > 1;
    switch (event.type) {
    case EventType::CallSucceeded:
        (retried ? m_retriedThenSucceeded : m_succeeded)->Increment();
        (retried ? m_successfulWithRetry : m_successfulWithoutRetry)->Increment();
        return;
    case EventType::CallFailed:
        m_failed->Increment();
        (retried ? m_failedWithRetry : m_failedWithoutRetry)->Increment();
        if (refusedByBreaker(event.reason))
            m_notPermitted->Increment();
        return;
    case EventType::CallSkipped:
        m_skipped->Increment();
        if (refusedByBreaker(event.reason))
            m_notPermitted->Increment();
        return;
    case EventType::CallDegraded:
        m_degraded->Increment();
        return;
    default:
        return;
    }
}

void ServiceMetrics::attemptEnded(bool succeeded, double latencyMs)
{
    (succeeded ? m_attemptSucceeded : m_attemptFailed)->Observe(latencyMs / 1000.0);
}

void ServiceMetrics::retryScheduled(const QString& reason)
{
    (reason == QLatin1StringView("retry_after") ? m_retryAfterRetries : m_backoffRetries)
        ->Increment();
}

void ServiceMetrics::transition(BreakerState from, BreakerState to)
{
    const std::size_t index = std::size_t(from) * kStates + std::size_t(to);
    if (index >= m_transitions.size())
        return;
    prometheus::Counter*& counter = m_transitions[index];
    if (!counter) {
        counter = &m_families.transitions.Add({{"service", m_service.toStdString()},
                                               {"from", breakerStateName(from).toStdString()},
                                               {"to", breakerStateName(to).toStdString()}});
    }
    counter->Increment();
}

void ServiceMetrics::healthProbe(bool healthy)
{
    (healthy ? m_probesHealthy : m_probesUnhealthy)->Increment();
}

} // namespace breakwater
