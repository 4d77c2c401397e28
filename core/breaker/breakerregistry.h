#pragma once

#include "circuitbreaker.h"

#include <QStringList>

#include <map>
#include <memory>
#include <mutex>

namespace breakwater {

// One circuit breaker per service, created on first use. Breakers live as long as the registry,
// so references handed out stay valid. Thread-safe.
class BreakerRegistry final
{
public:
    BreakerRegistry(Clock& clock, const BreakerConfig& defaults);
    BreakerRegistry(const BreakerRegistry&) = delete;
    BreakerRegistry& operator=(const BreakerRegistry&) = delete;

    // The service's breaker, created with the default config if it does not exist yet.
    CircuitBreaker& breaker(const QString& service);
    // Creates the service's breaker with its own config; an existing breaker is kept as it is.
    CircuitBreaker& breaker(const QString& service, const BreakerConfig& config);
    CircuitBreaker* find(const QString& service) const;
    QStringList services() const;

    // Applies to every breaker, present and future.
    void setTransitionListener(const CircuitBreaker::TransitionListener& listener);

private:
    Clock& m_clock;
    const BreakerConfig m_defaults;
    mutable std::mutex m_mutex;
    std::map<QString, std::unique_ptr<CircuitBreaker>> m_breakers;
    CircuitBreaker::TransitionListener m_listener;
};

} // namespace breakwater
