#include "breakerstatefamily.h"

#include <array>

namespace breakwater {
namespace {

constexpr std::array kStates = {BreakerState::Closed, BreakerState::Open, BreakerState::HalfOpen,
                                BreakerState::ForcedOpen, BreakerState::Disabled};

} // namespace

BreakerStateFamily::StateCell& BreakerStateFamily::addService(const QString& service,
                                                              BreakerState initial)
{
    std::lock_guard lock(m_mutex);
    Entry& entry = m_entries.emplace_back();
    entry.service = service.toStdString();
    entry.state.store(initial, std::memory_order_relaxed);
    return entry.state;
}

std::vector<prometheus::MetricFamily> BreakerStateFamily::Collect() const
{
    // Names of the states as the log writes them, once, rather than per scrape.
    static const std::array<std::string, kStates.size()> stateNames = [] {
        std::array<std::string, kStates.size()> names;
        for (std::size_t i = 0; i < kStates.size(); ++i)
            names[i] = breakerStateName(kStates[i]).toStdString();
        return names;
    }();

    std::lock_guard lock(m_mutex);
    if (m_entries.empty())
        return {};
    prometheus::MetricFamily family;
    family.name = kName;
    family.help = "The state of the service's circuit breaker: 1 for the state it is in, 0 for "
                  "the others (as the event stream last told it)";
    family.type = prometheus::MetricType::Gauge;
    family.metric.reserve(m_entries.size() * kStates.size());
    for (const Entry& entry : m_entries) {
        const BreakerState current = entry.state.load(std::memory_order_relaxed);
        for (std::size_t i = 0; i < kStates.size(); ++i) {
            prometheus::ClientMetric& metric = family.metric.emplace_back();
            metric.label = {{"service", entry.service}, {"state", stateNames[i]}};
            metric.gauge.value = kStates[i] == current ? 1.0 : 0.0;
        }
    }
    return {std::move(family)};
}

} // namespace breakwater
