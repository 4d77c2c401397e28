#pragma once

#include <QStringView>

#include <cstddef>
#include <cstdint>

// Writers for the pieces of a JSON line, each straight into a buffer the caller has sized with the
// matching bound: the log formatter runs once per event, so nothing here allocates or checks room.
namespace breakwater::json {

// Room writeString() may need for a string of n UTF-16 units, quotes included: an escaped
// control character takes six bytes, more than any UTF-8 sequence a unit can become.
constexpr std::size_t maxStringBytes(qsizetype n) noexcept
{
    return 6 * std::size_t(n) + 2;
}
inline constexpr std::size_t kMaxIntegerBytes = 20;       // "-9223372036854775808", 2^64 - 1
inline constexpr std::size_t kMaxMillisecondsBytes = 330; // DBL_MAX in fixed notation, sign, ".000"

// A quoted, escaped JSON string in UTF-8. Quotes, backslash, \n, \r and \t get their short escapes,
// other control characters \u00XX; everything else is written as UTF-8, with a lone surrogate
// replaced by U+FFFD so the output is valid UTF-8 whatever the QString held.
char* writeString(char* out, QStringView text) noexcept;

char* writeUnsigned(char* out, std::uint64_t value) noexcept;
char* writeSigned(char* out, std::int64_t value) noexcept;

// A duration in milliseconds: fixed notation rounded to three decimals, trailing zeros dropped
// ("12.5", "3", "0.125"), never an exponent. The caller leaves out values that are not finite.
char* writeMilliseconds(char* out, double value) noexcept;

// Two decimal digits, zero-padded: value must be below 100.
inline char* writeTwoDigits(char* out, unsigned value) noexcept
{
    out[0] = char('0' + value / 10);
    out[1] = char('0' + value % 10);
    return out + 2;
}

} // namespace breakwater::json
