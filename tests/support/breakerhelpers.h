#pragma once

#include "breaker/circuitbreaker.h"

#include <vector>

namespace breakwater::testing {

// A config with every trip condition off, for tests to switch on the one they examine.
inline BreakerConfig quietConfig()
{
    BreakerConfig config;
    config.consecutiveFailures = 0;
    config.failureRateThreshold = 0;
    config.slowCallRateThreshold = 0;
    config.minimumCalls = 1;
    return config;
}

inline BreakerConfig consecutiveConfig(int threshold)
{
    BreakerConfig config = quietConfig();
    config.consecutiveFailures = threshold;
    return config;
}

inline void succeed(CircuitBreaker& breaker, int times = 1,
                    Duration latency = std::chrono::milliseconds(10))
{
    for (int i = 0; i < times; ++i)
        breaker.onSuccess(breaker.tryAcquire(), latency);
}

inline void failTimes(CircuitBreaker& breaker, int times = 1,
                      Duration latency = std::chrono::milliseconds(10))
{
    for (int i = 0; i < times; ++i)
        breaker.onFailure(breaker.tryAcquire(), latency);
}

// Collects every transition a breaker reports, in order.
struct TransitionLog
{
    explicit TransitionLog(CircuitBreaker& breaker)
    {
        breaker.setTransitionListener(
            [this](const BreakerTransition& transition) { transitions.push_back(transition); });
    }
    std::vector<BreakerTransition> transitions;
};

} // namespace breakwater::testing
