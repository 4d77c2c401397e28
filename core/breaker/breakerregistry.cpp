#include "breakerregistry.h"

#include <vector>

namespace breakwater {

BreakerRegistry::BreakerRegistry(Clock& clock, const BreakerConfig& defaults)
    : m_clock(clock)
    , m_defaults(defaults)
{}

CircuitBreaker& BreakerRegistry::breaker(const QString& service)
{
    return breaker(service, m_defaults);
}

CircuitBreaker& BreakerRegistry::breaker(const QString& service, const BreakerConfig& config)
{
    std::lock_guard lock(m_mutex);
    auto& slot = m_breakers[service];
    if (!slot) {
        slot = std::make_unique<CircuitBreaker>(service, config, m_clock);
        if (m_listener)
            slot->setTransitionListener(m_listener);
    }
    return *slot;
}

CircuitBreaker* BreakerRegistry::find(const QString& service) const
{
    std::lock_guard lock(m_mutex);
    const auto found = m_breakers.find(service);
    return found == m_breakers.end() ? nullptr : found->second.get();
}

QStringList BreakerRegistry::services() const
{
    std::lock_guard lock(m_mutex);
    QStringList names;
    for (const auto& entry : m_breakers)
        names << entry.first;
    return names;
}

void BreakerRegistry::setTransitionListener(const CircuitBreaker::TransitionListener& listener)
{
    // Breakers are updated outside the registry's lock: a transition holds its breaker's lock
    // while its listener runs, and that listener may well ask the registry something.
    std::vector<CircuitBreaker*> breakers;
    {
        std::lock_guard lock(m_mutex);
        m_listener = listener;
        for (auto& entry : m_breakers)
            breakers.push_back(entry.second.get());
    }
    for (CircuitBreaker* breaker : breakers)
        breaker->setTransitionListener(listener);
}

} // namespace breakwater
