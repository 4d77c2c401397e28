// Retry-After (RFC 9110 10.2.3): delta-seconds or an HTTP-date in any of its three forms.

#include "errorclassifier.h"

#include <QByteArrayView>
#include <QTime>

#include <algorithm>
#include <array>

namespace breakwater::classify {

namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

// A server asking us to wait longer than a day is broken or hostile; obeying would park calls
// indefinitely, so such values are rejected rather than clamped.
constexpr seconds kMaxRetryAfter = std::chrono::hours(24);
// The longest valid value, an RFC 850 date on a Wednesday, has 33 characters.
constexpr qsizetype kMaxRetryAfterHeader = 64;

// Returns -1 for anything but a run of digits of the given length, so callers reject in one test.
int parseNumber(QByteArrayView digits, qsizetype minLength, qsizetype maxLength)
{
    if (digits.size() < minLength || digits.size() > maxLength)
        return -1;
    int value = 0;
    for (const char ch : digits) {
        if (ch < '0' || ch > '9')
            return -1;
        value = value * 10 + (ch - '0');
    }
    return value;
}

int monthFromName(QByteArrayView name)
{
    static constexpr std::array<const char*, 12> names{"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                       "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    for (std::size_t i = 0; i < names.size(); ++i) {
        if (name == QByteArrayView(names[i]))
            return static_cast<int>(i) + 1;
    }
    return 0;
}

bool isDayName(QByteArrayView name)
{
    static constexpr std::array<const char*, 14> names{
        "Mon",    "Tue",     "Wed",       "Thu",      "Fri",    "Sat",      "Sun",
        "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"};
    for (const char* candidate : names) {
        if (name == QByteArrayView(candidate))
            return true;
    }
    return false;
}

QTime parseClock(QByteArrayView text)
{
    if (text.size() != 8 || text.at(2) != ':' || text.at(5) != ':')
        return {};
    const int hours = parseNumber(text.sliced(0, 2), 2, 2);
    const int minutes = parseNumber(text.sliced(3, 2), 2, 2);
    const int secs = parseNumber(text.sliced(6, 2), 2, 2);
    if (hours < 0 || minutes < 0 || secs < 0)
        return {};
    return QTime(hours, minutes, secs);
}

QDateTime utcDateTime(int year, int month, int day, const QTime& time)
{
    const QDate date(year, month, day);
    if (!date.isValid() || !time.isValid())
        return {};
    return QDateTime(date, time, Qt::UTC);
}

// RFC 9110 5.6.7: recipients must accept IMF-fixdate and the two obsolete forms, RFC 850 and
// asctime. Written by hand because QDateTime's RFC 2822 parser does not promise to accept "GMT"
// or the obsolete forms, and a handful of fixed-width tokens is easy to check exactly.
QDateTime parseHttpDate(const QByteArray& text, int currentYear)
{
    QList<QByteArray> tokens = text.split(' ');
    tokens.removeAll(QByteArray());

    // IMF-fixdate: "Sun, 06 Nov 1994 08:49:37 GMT"
    if (tokens.size() == 6) {
        const QByteArray& dayName = tokens.at(0);
        if (!dayName.endsWith(',') || !isDayName(QByteArrayView(dayName).chopped(1)) ||
            tokens.at(5) != "GMT")
            return {};
        return utcDateTime(parseNumber(tokens.at(3), 4, 4), monthFromName(tokens.at(2)),
                           parseNumber(tokens.at(1), 2, 2), parseClock(tokens.at(4)));
    }

    // RFC 850: "Sunday, 06-Nov-94 08:49:37 GMT"
    if (tokens.size() == 4) {
        const QByteArray& dayName = tokens.at(0);
        const QByteArray& date = tokens.at(1);
        if (!dayName.endsWith(',') || !isDayName(QByteArrayView(dayName).chopped(1)) ||
            tokens.at(3) != "GMT" || date.size() != 9 || date.at(2) != '-' || date.at(6) != '-')
            return {};
        const int shortYear = parseNumber(QByteArrayView(date).sliced(7, 2), 2, 2);
        if (shortYear < 0)
            return {};
        // A two-digit year more than 50 years ahead belongs to the previous century (RFC 9110).
        int year = currentYear - currentYear % 100 + shortYear;
        if (year > currentYear + 50)
            year -= 100;
        return utcDateTime(year, monthFromName(QByteArrayView(date).sliced(3, 3)),
                           parseNumber(QByteArrayView(date).sliced(0, 2), 2, 2),
                           parseClock(tokens.at(2)));
    }

    // asctime: "Sun Nov  6 08:49:37 1994"
    if (tokens.size() == 5) {
        if (!isDayName(tokens.at(0)))
            return {};
        return utcDateTime(parseNumber(tokens.at(4), 4, 4), monthFromName(tokens.at(1)),
                           parseNumber(tokens.at(2), 1, 2), parseClock(tokens.at(3)));
    }
    return {};
}

} // namespace

std::optional<std::chrono::milliseconds> parseRetryAfter(const QByteArray& value,
                                                         const QDateTime& now)
{
    if (value.size() > kMaxRetryAfterHeader)
        return std::nullopt;
    const QByteArray text = value.trimmed();
    if (text.isEmpty())
        return std::nullopt;

    const bool allDigits =
        std::all_of(text.begin(), text.end(), [](char ch) { return ch >= '0' && ch <= '9'; });
    if (allDigits) {
        QByteArrayView digits(text);
        while (digits.size() > 1 && digits.front() == '0')
            digits = digits.sliced(1);
        // Six digits already exceed a day; checking the length first keeps the sum from
        // overflowing.
        if (digits.size() > 6)
            return std::nullopt;
        const seconds delay(parseNumber(digits, 1, 6));
        if (delay > kMaxRetryAfter)
            return std::nullopt;
        return std::chrono::duration_cast<milliseconds>(delay);
    }

    if (!now.isValid())
        return std::nullopt;
    const QDateTime when = parseHttpDate(text, now.toUTC().date().year());
    if (!when.isValid())
        return std::nullopt;
    const qint64 delay = now.msecsTo(when);
    if (delay <= 0)
        return milliseconds(0);
    if (milliseconds(delay) > kMaxRetryAfter)
        return std::nullopt;
    return milliseconds(delay);
}

} // namespace breakwater::classify
