#pragma once

#include "breaker/circuitbreaker.h"
#include "events/eventsink.h"
#include "retry/retrybudget.h"
#include "retry/retrypolicy.h"
#include "services/ttsservice.h"

namespace breakwater {

class CallRun;

// What every call of one service runs through, owned by the pipeline worker and lent to each
// CallRun for its life.
struct CallContext
{
    TtsService& service;
    Clock& clock;
    const RetryPolicy& policy;
    CircuitBreaker& breaker;
    RetryBudget& budget;
    EventPublisher& events;
    QString serviceName;
    // Told when a call has published its terminal event; the run must not be destroyed inside it.
    std::function<void(CallRun& run)> ended;

    // An event about this service, stamped now, with the breaker's current state.
    Event event(EventType type, EventLevel level) const
    {
        Event e;
        e.time = clock.wallNow();
        e.type = type;
        e.level = level;
        e.service = serviceName;
        e.state = breaker.state();
        return e;
    }
};

} // namespace breakwater
