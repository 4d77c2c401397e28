#pragma once

#include "events/event.h"

#include <cstdint>

namespace breakwater {

// What a loaded pipeline publishes: mostly successful calls, some retried, a few failures, and a
// breaker transition now and then, with ids and latencies that vary like real ones.
inline Event floodEvent(std::uint64_t n)
{
    Event e;
    e.time = std::chrono::system_clock::now();
    e.service = QStringLiteral("elevenlabs");
    e.callId = n / 4 + 1;
    e.state = BreakerState::Closed;
    switch (n % 4) {
    case 0:
        e.type = EventType::CallStarted;
        break;
    case 1:
        e.type = EventType::AttemptStarted;
        e.attempt = 1;
        break;
    case 2:
        e.attempt = 1;
        e.latencyMs = 40.0 + double(n % 97);
        if (n % 40 == 2) {
            e.type = EventType::AttemptFailed;
            e.level = EventLevel::Warning;
            e.errorKind = ErrorKind::Transient;
            e.httpStatus = 503;
            e.message = QStringLiteral("HTTP 503 from the service (call %1)").arg(e.callId);
        } else {
            e.type = EventType::AttemptSucceeded;
        }
        break;
    default:
        e.type = n % 40 == 3 ? EventType::CallFailed : EventType::CallSucceeded;
        e.attempt = 1;
        e.latencyMs = 40.0 + double(n % 97);
        break;
    }
    if (n % 100'000 == 99'999) {
        e = Event{};
        e.time = std::chrono::system_clock::now();
        e.type = EventType::BreakerTransition;
        e.service = QStringLiteral("elevenlabs");
        e.fromState = BreakerState::Closed;
        e.toState = e.state = BreakerState::Open;
        e.delayMs = 10'000;
        e.message = QStringLiteral("5 consecutive failures (threshold 5); open for 10.0 s");
    }
    return e;
}

} // namespace breakwater
