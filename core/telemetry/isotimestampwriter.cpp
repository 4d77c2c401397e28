#include "isotimestampwriter.h"

#include "jsonencoding.h"

#include <chrono>
#include <cstring>

namespace breakwater {
namespace {

constexpr std::int64_t kSecondsPerDay = 24 * 60 * 60;

// Rounds towards minus infinity, so times before 1970 fall in the right second and day.
constexpr std::int64_t floorDiv(std::int64_t value, std::int64_t divisor) noexcept
{
    const std::int64_t quotient = value / divisor;
    return (value % divisor != 0 && value < 0) ? quotient - 1 : quotient;
}

} // namespace

char* IsoTimestampWriter::write(char* out, WallTime time) noexcept
{
    const std::int64_t ms =
        std::chrono::floor<std::chrono::milliseconds>(time).time_since_epoch().count();
    const std::int64_t second = floorDiv(ms, 1000);
    if (second != m_cachedSecond)
        updatePrefix(second);
    std::memcpy(out, m_prefix, sizeof m_prefix);
    const auto millis = unsigned(ms - second * 1000);
    out[19] = '.';
    out[20] = char('0' + millis / 100);
    json::writeTwoDigits(out + 21, millis % 100);
    out[23] = 'Z';
    return out + kLength;
}

void IsoTimestampWriter::updatePrefix(std::int64_t second) noexcept
{
    const std::int64_t day = floorDiv(second, kSecondsPerDay);
    if (day != m_cachedDay) {
        const std::chrono::year_month_day date{std::chrono::sys_days{std::chrono::days{day}}};
        // The system clock spans years 1677 to 2262: always four digits.
        const auto year = unsigned(int(date.year()));
        json::writeTwoDigits(m_prefix, year / 100);
        json::writeTwoDigits(m_prefix + 2, year % 100);
        m_prefix[4] = '-';
        json::writeTwoDigits(m_prefix + 5, unsigned(date.month()));
        m_prefix[7] = '-';
        json::writeTwoDigits(m_prefix + 8, unsigned(date.day()));
        m_prefix[10] = 'T';
        m_cachedDay = day;
    }
    const auto secondOfDay = unsigned(second - day * kSecondsPerDay);
    json::writeTwoDigits(m_prefix + 11, secondOfDay / 3600);
    m_prefix[13] = ':';
    json::writeTwoDigits(m_prefix + 14, secondOfDay / 60 % 60);
    m_prefix[16] = ':';
    json::writeTwoDigits(m_prefix + 17, secondOfDay % 60);
    m_cachedSecond = second;
}

} // namespace breakwater
