#pragma once

#include "breakerstatefamily.h"

#include <memory>
#include <prometheus/counter.h>
#include <prometheus/family.h>
#include <prometheus/histogram.h>

namespace breakwater {

class MetricsRegistry;

// The families the event stream feeds, built once in a registry. Their names follow Prometheus'
// rules (base units, `_total` for counters) and mirror Resilience4j's under the breakwater_
// prefix, so dashboards made for those read these with a new prefix.
struct EventFamilies
{
    explicit EventFamilies(MetricsRegistry& registry);

    prometheus::Family<prometheus::Counter>& events;
    prometheus::Family<prometheus::Counter>& calls;
    prometheus::Family<prometheus::Counter>& notPermittedCalls;
    prometheus::Family<prometheus::Counter>& retryCalls;
    prometheus::Family<prometheus::Counter>& retriesScheduled;
    prometheus::Family<prometheus::Histogram>& attemptDuration;
    prometheus::Family<prometheus::Counter>& transitions;
    prometheus::Family<prometheus::Counter>& healthProbes;
    prometheus::Family<prometheus::Counter>& alertsRaised;
    prometheus::Family<prometheus::Counter>& alertsResolved;
    prometheus::Family<prometheus::Counter>& alertDeliveries;
    const std::shared_ptr<BreakerStateFamily> breakerStates;

    // Seconds: from a cache hit to a request that ran into a long timeout.
    static const prometheus::Histogram::BucketBoundaries& attemptBuckets();
};

} // namespace breakwater
