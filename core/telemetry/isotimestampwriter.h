#pragma once

#include "clock/clock.h"

#include <cstdint>
#include <limits>

namespace breakwater {

// Writes wall times as ISO-8601 UTC with milliseconds, "2026-11-28T15:04:05.123Z", for the log's
// `ts` field. Consecutive events mostly share their second and always their day, so the
// "YYYY-MM-DDTHH:MM:SS" part is kept from the last call and only the milliseconds are new.
// Not thread-safe: one writer per formatter.
class IsoTimestampWriter final
{
public:
    static constexpr int kLength = 24;

    // Writes exactly kLength characters (no quotes). Sub-millisecond digits are cut, not rounded,
    // so a timestamp never moves into the next second or day.
    char* write(char* out, WallTime time) noexcept;

private:
    void updatePrefix(std::int64_t second) noexcept;

    static constexpr std::int64_t kNone = std::numeric_limits<std::int64_t>::min();
    std::int64_t m_cachedSecond = kNone;
    std::int64_t m_cachedDay = kNone;
    char m_prefix[19] = {}; // "YYYY-MM-DDTHH:MM:SS"
};

} // namespace breakwater
