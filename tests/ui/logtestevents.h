#pragma once

#include "log/logtablemodel.h"
#include "retryalertevents.h"

#include <QString>

#include <chrono>
#include <cstdint>
#include <vector>

// Events for the log table's tests: each one numbered, so a row says which event it came from
// whatever was evicted or filtered around it.
namespace breakwater::logtest {

inline Event numbered(std::uint64_t n, EventType type = EventType::CallStarted,
                      EventLevel level = EventLevel::Info,
                      const QString& service = QStringLiteral("elevenlabs"))
{
    Event e;
    e.sequence = n;
    e.time = retryalerttest::at(std::chrono::milliseconds(std::int64_t(n)));
    e.type = type;
    e.level = level;
    e.service = service;
    e.callId = n;
    return e;
}

// Events from..to-1, each with a message that names it, so a row's text can be checked too.
inline std::vector<Event> numberedRange(std::uint64_t from, std::uint64_t to)
{
    std::vector<Event> events;
    events.reserve(std::size_t(to - from));
    for (std::uint64_t n = from; n < to; ++n) {
        Event e = numbered(n);
        e.message = QStringLiteral("event %1").arg(n);
        events.push_back(e);
    }
    return events;
}

inline void append(LogTableModel& model, const std::vector<Event>& events)
{
    model.appendEvents(std::span<const Event>(events));
}

} // namespace breakwater::logtest
