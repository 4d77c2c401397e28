#pragma once

#include "breaker/breakerstate.h"

#include <QString>

#include <atomic>
#include <deque>
#include <mutex>
#include <prometheus/collectable.h>
#include <prometheus/metric_family.h>
#include <string>

namespace breakwater {

// breakwater_circuitbreaker_state{service,state}: one series per state and service, 1 for the
// state the service's breaker is in, as Resilience4j shows it. Each service's state is one atomic
// read once per scrape, so a scrape never shows two states at once or none, as five separately
// set gauges could while a transition is half written.
class BreakerStateFamily final : public prometheus::Collectable
{
public:
    static constexpr const char* kName = "breakwater_circuitbreaker_state";

    // Where the sink writes a service's state; it stays valid as long as the family.
    using StateCell = std::atomic<BreakerState>;

    BreakerStateFamily() = default;
    BreakerStateFamily(const BreakerStateFamily&) = delete;
    BreakerStateFamily& operator=(const BreakerStateFamily&) = delete;

    // Takes the lock a scrape holds while it reads the cells: call it once per service.
    StateCell& addService(const QString& service, BreakerState initial);

    std::vector<prometheus::MetricFamily> Collect() const override;

private:
    struct Entry
    {
        std::string service;
        StateCell state;
    };
    mutable std::mutex m_mutex;
    std::deque<Entry> m_entries; // guarded by m_mutex; a deque, so cells never move
};

} // namespace breakwater
