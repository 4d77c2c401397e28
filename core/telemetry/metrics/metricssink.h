#pragma once

#include "events/eventsink.h"

#include <QString>
#include <QStringList>

#include <array>
#include <memory>
#include <vector>

namespace prometheus {
class Counter;
} // namespace prometheus

namespace breakwater {

class MetricsRegistry;
class ServiceMetrics;
struct EventFamilies;

// The event stream as Prometheus metrics: calls by outcome, breaker refusals, retries by kind,
// attempt latency, breaker state and transitions, health probes, alerts and their deliveries
// (see docs/metrics.md for the names). Every series a service has is made when its first event
// arrives, or at once for the services named up front, so rates start from zero rather than from
// a missing series.
//
// consume() runs on the stream's thread and costs a lookup of the service (the last one is
// remembered) and an atomic add or two per event; it never waits for a scrape, except when a new
// label set first appears (a new service, rule, channel or transition) and the scrape is reading
// that very family. The sink must outlive the scrapes of its registry.
class MetricsSink final : public EventSink
{
public:
    explicit MetricsSink(MetricsRegistry& registry, const QStringList& services = {});
    ~MetricsSink() override;
    MetricsSink(const MetricsSink&) = delete;
    MetricsSink& operator=(const MetricsSink&) = delete;

    void consume(std::span<const Event> events) override;

private:
    struct RuleCounters;
    struct ChannelCounters;

    ServiceMetrics& serviceMetrics(const QString& service, std::optional<BreakerState> state);
    void countForService(const Event& event);
    void countAlert(const Event& event, bool raised);
    void countDelivery(const Event& event);

    const std::unique_ptr<EventFamilies> m_families;
    std::array<prometheus::Counter*, kEventTypeCount> m_eventCounters{};
    std::vector<std::unique_ptr<ServiceMetrics>> m_services;
    ServiceMetrics* m_lastService = nullptr;
    std::vector<RuleCounters> m_rules;
    std::vector<ChannelCounters> m_channels;
};

} // namespace breakwater
