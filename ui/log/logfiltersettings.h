#pragma once

#include "events/event.h"

#include <QString>

#include <cstdint>

namespace breakwater {

// What the log table shows: a plain value, so the export job can take a copy to another thread.
struct LogFilterSettings
{
    EventLevel minimumLevel = EventLevel::Debug;
    std::uint32_t eventTypes = 0; // a bit per EventType; 0: every type
    QString service;              // empty: every service
    // Case-insensitive: a call id ("call-42" or "42", matched exactly) or a substring of the
    // message, reason or error code. Empty: no text filter.
    QString text;

    static constexpr std::uint32_t typeBit(EventType type) noexcept
    {
        return std::uint32_t(1) << unsigned(type);
    }
    bool acceptsEverything() const noexcept
    {
        return minimumLevel == EventLevel::Debug && eventTypes == 0 && service.isEmpty() &&
               text.isEmpty();
    }
    friend bool operator==(const LogFilterSettings&, const LogFilterSettings&) = default;
};
static_assert(kEventTypeCount <= 32, "LogFilterSettings::eventTypes has a bit per type");

} // namespace breakwater
