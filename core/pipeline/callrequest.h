#pragma once

#include "clock/clock.h"

#include <QString>

#include <cstdint>

namespace breakwater {

// One call the agent wants spoken.
struct CallRequest
{
    std::uint64_t callId = 0; // 0: the pipeline assigns the next id
    QString text;
    QString voiceId; // empty: the service's configured voice
};

// What submit() did with a call. A call that is not accepted has already ended: its call_skipped
// event is published before submit() returns.
struct SubmitResult
{
    std::uint64_t callId = 0;
    bool accepted = false;
    QString reason; // why not: "breaker_open", "queue_full", "shutting_down", "not_running"
};

// A call waiting in the queue, with the moment it was submitted (its latency counts from there).
struct QueuedCall
{
    CallRequest request;
    TimePoint submittedAt;
};

} // namespace breakwater
