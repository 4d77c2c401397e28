#pragma once

#include "events/event.h"

#include <cstdint>

namespace breakwater {

// A string of a log row. 0 is the empty string; 1..2^31-1 name an entry of the shared string
// table (index + 1); with the top bit set, the rest is an offset into the arena of the row's own
// chunk, where text goes that the table has no room for.
using LogStringRef = std::uint32_t;
inline constexpr LogStringRef kEmptyLogString = 0;
inline constexpr LogStringRef kArenaLogString = 0x8000'0000u;

// One event as the log table keeps it: numbers, enums and string references, 72 bytes, so that a
// million of them fit in the memory a table of strings would need for a few thousand. Text is
// formatted when a view asks for it, and the Event comes back whole (see LogRowRef::event()).
struct LogRow
{
    static constexpr std::uint8_t kAbsent = 0xff; // an optional enum that is not set
    static constexpr std::uint8_t kHasLatency = 0x1;
    static constexpr std::uint8_t kHasDelay = 0x2;

    std::int64_t time = 0; // WallTime ticks since the epoch: the exact time, not just the ms
    std::uint64_t sequence = 0;
    std::uint64_t callId = 0;
    double latencyMs = 0;     // when flags has kHasLatency
    std::int64_t delayMs = 0; // when flags has kHasDelay
    std::int32_t attempt = 0;
    std::int32_t httpStatus = 0;
    LogStringRef service = kEmptyLogString;
    LogStringRef reason = kEmptyLogString;
    LogStringRef errorCode = kEmptyLogString;
    LogStringRef message = kEmptyLogString;
    EventType type = EventType::CallStarted;
    EventLevel level = EventLevel::Info;
    std::uint8_t state = kAbsent; // BreakerState
    std::uint8_t fromState = kAbsent;
    std::uint8_t toState = kAbsent;
    std::uint8_t errorKind = kAbsent; // ErrorKind
    std::uint8_t flags = 0;
};
static_assert(sizeof(LogRow) == 72, "the memory budget of the log table counts on 72-byte rows");

} // namespace breakwater
