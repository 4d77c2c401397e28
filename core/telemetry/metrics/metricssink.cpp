#include "metricssink.h"

#include "eventfamilies.h"
#include "servicemetrics.h"

#include <algorithm>

namespace breakwater {

struct MetricsSink::RuleCounters
{
    QString rule;
    prometheus::Counter* raised = nullptr;
    prometheus::Counter* resolved = nullptr;
};

struct MetricsSink::ChannelCounters
{
    QString channel;
    prometheus::Counter* delivered = nullptr;
    prometheus::Counter* retrying = nullptr;
    prometheus::Counter* failed = nullptr;
};

MetricsSink::MetricsSink(MetricsRegistry& registry, const QStringList& services)
    : m_families(std::make_unique<EventFamilies>(registry))
{
    for (int type = 0; type < kEventTypeCount; ++type) {
        m_eventCounters[std::size_t(type)] =
            &m_families->events.Add({{"event", eventTypeName(EventType(type)).toStdString()}});
    }
    for (const QString& service : services)
        serviceMetrics(service, std::nullopt);
}

MetricsSink::~MetricsSink() = default;

void MetricsSink::consume(std::span<const Event> events)
{
    for (const Event& event : events) {
        if (std::size_t(event.type) < m_eventCounters.size())
            m_eventCounters[std::size_t(event.type)]->Increment();
        switch (event.type) {
        case EventType::AlertRaised:
            countAlert(event, true);
            break;
        case EventType::AlertResolved:
            countAlert(event, false);
            break;
        case EventType::AlertDelivered:
        case EventType::AlertDeliveryFailed:
            countDelivery(event);
            break;
        default:
            countForService(event);
            break;
        }
    }
}

void MetricsSink::countForService(const Event& event)
{
    switch (event.type) {
    case EventType::CallStarted:
    case EventType::AttemptStarted:
    case EventType::AttemptSucceeded:
    case EventType::AttemptFailed:
    case EventType::RetryScheduled:
    case EventType::CallSucceeded:
    case EventType::CallFailed:
    case EventType::CallSkipped:
    case EventType::CallDegraded:
    case EventType::BreakerTransition:
    case EventType::HealthProbe:
        break;
    default:
        // Fault changes and the like say which service, but no series of a service follows them.
        if (!event.state)
            return;
        break;
    }
    if (event.service.isEmpty())
        return;
    ServiceMetrics& service = serviceMetrics(event.service, event.state);
    if (event.state)
        service.noteState(*event.state);
    switch (event.type) {
    case EventType::AttemptSucceeded:
    case EventType::AttemptFailed:
        if (event.latencyMs)
            service.attemptEnded(event.type == EventType::AttemptSucceeded, *event.latencyMs);
        break;
    case EventType::RetryScheduled:
        service.retryScheduled(event.reason);
        break;
    case EventType::CallSucceeded:
    case EventType::CallFailed:
    case EventType::CallSkipped:
    case EventType::CallDegraded:
        service.callEnded(event);
        break;
    case EventType::BreakerTransition:
        if (event.fromState && event.toState)
            service.transition(*event.fromState, *event.toState);
        break;
    case EventType::HealthProbe:
        service.healthProbe(event.reason == QLatin1StringView("healthy"));
        break;
    default:
        break;
    }
}

ServiceMetrics& MetricsSink::serviceMetrics(const QString& service,
                                            std::optional<BreakerState> state)
{
    // Events come in runs of one service: the last one is nearly always the one.
    if (m_lastService && m_lastService->service() == service)
        return *m_lastService;
    const auto known = std::find_if(m_services.begin(), m_services.end(),
                                    [&service](const auto& s) { return s->service() == service; });
    if (known != m_services.end()) {
        m_lastService = known->get();
        return *m_lastService;
    }
    // A breaker starts closed; the event that brought the service says otherwise if it knows.
    m_services.push_back(std::make_unique<ServiceMetrics>(*m_families, service,
                                                          state.value_or(BreakerState::Closed)));
    m_lastService = m_services.back().get();
    return *m_lastService;
}

void MetricsSink::countAlert(const Event& event, bool raised)
{
    // The alert manager puts the rule in `reason`.
    auto rule = std::find_if(m_rules.begin(), m_rules.end(),
                             [&event](const RuleCounters& r) { return r.rule == event.reason; });
    if (rule == m_rules.end()) {
        const std::string name = event.reason.toStdString();
        m_rules.push_back({event.reason, &m_families->alertsRaised.Add({{"rule", name}}),
                           &m_families->alertsResolved.Add({{"rule", name}})});
        rule = std::prev(m_rules.end());
    }
    (raised ? rule->raised : rule->resolved)->Increment();
}

void MetricsSink::countDelivery(const Event& event)
{
    // The channel is in `reason`; the alert manager's notes about its outbox have none and are no
    // delivery attempt (events_total counts them).
    if (event.reason.isEmpty())
        return;
    auto channel =
        std::find_if(m_channels.begin(), m_channels.end(),
                     [&event](const ChannelCounters& c) { return c.channel == event.reason; });
    if (channel == m_channels.end()) {
        const std::string name = event.reason.toStdString();
        auto result = [&](const char* value) {
            return &m_families->alertDeliveries.Add({{"channel", name}, {"result", value}});
        };
        m_channels.push_back(
            {event.reason, result("delivered"), result("retrying"), result("failed")});
        channel = std::prev(m_channels.end());
    }
    if (event.type == EventType::AlertDelivered)
        channel->delivered->Increment();
    else if (event.errorKind == ErrorKind::Transient)
        channel->retrying->Increment();
    else
        channel->failed->Increment();
}

} // namespace breakwater
