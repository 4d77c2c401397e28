#include "eventfamilies.h"

#include "metricsregistry.h"

#include <prometheus/registry.h>

namespace breakwater {
namespace {

prometheus::Family<prometheus::Counter>& counter(MetricsRegistry& registry, const char* name,
                                                 const char* help)
{
    [[maybe_unused]] const bool claimed = registry.claimEventName(name, MetricKind::Counter);
    Q_ASSERT_X(claimed, name, "the name of an event counter is taken");
    return prometheus::BuildCounter().Name(name).Help(help).Register(registry.eventFamilies());
}

prometheus::Family<prometheus::Histogram>& histogram(MetricsRegistry& registry, const char* name,
                                                     const char* help)
{
    [[maybe_unused]] const bool claimed = registry.claimEventName(name, MetricKind::Histogram);
    Q_ASSERT_X(claimed, name, "the name of an event histogram is taken");
    return prometheus::BuildHistogram().Name(name).Help(help).Register(registry.eventFamilies());
}

std::shared_ptr<BreakerStateFamily> makeBreakerStates(MetricsRegistry& registry)
{
    [[maybe_unused]] const bool claimed =
        registry.claimEventName(BreakerStateFamily::kName, MetricKind::Gauge);
    Q_ASSERT_X(claimed, BreakerStateFamily::kName, "the name of the state gauge is taken");
    auto family = std::make_shared<BreakerStateFamily>();
    registry.addEventSource(family);
    return family;
}

} // namespace

EventFamilies::EventFamilies(MetricsRegistry& registry)
    : events(counter(registry, "breakwater_events_total",
                     "Events the metrics saw, by type (the log's event field)"))
    , calls(counter(registry, "breakwater_calls_total",
                    "Calls ended, by outcome: succeeded (first attempt), retried_then_succeeded, "
                    "failed, skipped, degraded; the outcomes add up to every call"))
    , notPermittedCalls(counter(registry, "breakwater_calls_not_permitted_total",
                                "Calls the circuit breaker refused, before their first attempt "
                                "(skipped) or before a retry (failed)"))
    , retryCalls(counter(registry, "breakwater_retry_calls_total",
                         "Calls that made at least one attempt, by kind: "
                         "successful_without_retry, successful_with_retry, "
                         "failed_without_retry, failed_with_retry"))
    , retriesScheduled(counter(registry, "breakwater_retries_scheduled_total",
                               "Retries scheduled, by what set the delay: backoff or the "
                               "service's Retry-After"))
    , attemptDuration(histogram(registry, "breakwater_attempt_duration_seconds",
                                "How long one attempt at the service took, by result"))
    , transitions(counter(registry, "breakwater_circuitbreaker_transitions_total",
                          "Circuit breaker state changes, by the state left and entered"))
    , healthProbes(counter(registry, "breakwater_health_probes_total",
                           "Health probes answered, by result: healthy or unhealthy"))
    , alertsRaised(counter(registry, "breakwater_alerts_raised_total", "Alerts raised, by rule"))
    , alertsResolved(
          counter(registry, "breakwater_alerts_resolved_total", "Alerts resolved, by rule"))
    , alertDeliveries(counter(registry, "breakwater_alert_deliveries_total",
                              "Alert delivery attempts, by channel and result: delivered, "
                              "retrying (a transient failure) or failed (given up)"))
    , breakerStates(makeBreakerStates(registry))
{}

const prometheus::Histogram::BucketBoundaries& EventFamilies::attemptBuckets()
{
    static const prometheus::Histogram::BucketBoundaries buckets{
        0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0};
    return buckets;
}

} // namespace breakwater
