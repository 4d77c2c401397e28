#include "loglineparser.h"

#include <QJsonDocument>
#include <QJsonObject>

#include <charconv>
#include <chrono>
#include <limits>

using namespace Qt::StringLiterals;

namespace breakwater {
namespace {

// Mirrors the formatter: "YYYY-MM-DDTHH:MM:SS.mmmZ", nothing else.
std::optional<WallTime> parseTimestamp(const QString& text)
{
    if (text.size() != 24)
        return std::nullopt;
    const auto number = [&text](qsizetype from, qsizetype count) -> int {
        int value = 0;
        for (qsizetype i = from; i < from + count; ++i) {
            const char16_t c = text[i].unicode();
            if (c < u'0' || c > u'9')
                return -1;
            value = value * 10 + (c - u'0');
        }
        return value;
    };
    const auto at = [&text](qsizetype i, char16_t c) {
        return text[i].unicode() == c;
    };
    if (!at(4, u'-') || !at(7, u'-') || !at(10, u'T') || !at(13, u':') || !at(16, u':') ||
        !at(19, u'.') || !at(23, u'Z'))
        return std::nullopt;
    const int year = number(0, 4), month = number(5, 2), day = number(8, 2);
    const int hour = number(11, 2), minute = number(14, 2), second = number(17, 2);
    const int millis = number(20, 3);
    const std::chrono::year_month_day date{std::chrono::year(year),
                                           std::chrono::month(unsigned(month)),
                                           std::chrono::day(unsigned(day))};
    if (year < 0 || !date.ok() || hour < 0 || hour > 23 || minute < 0 || minute > 59 ||
        second < 0 || second > 59 || millis < 0)
        return std::nullopt;
    const std::chrono::seconds sinceEpoch =
        std::chrono::sys_days(date).time_since_epoch() + std::chrono::hours(hour) +
        std::chrono::minutes(minute) + std::chrono::seconds(second);
    // The wall clock counts nanoseconds in 64 bits: roughly the years 1678 to 2261.
    using std::chrono::floor;
    if (sinceEpoch <= floor<std::chrono::seconds>(WallTime::min().time_since_epoch()) ||
        sinceEpoch >= floor<std::chrono::seconds>(WallTime::max().time_since_epoch()))
        return std::nullopt;
    return WallTime(sinceEpoch + std::chrono::milliseconds(millis));
}

std::optional<std::uint64_t> parseCallId(QStringView text)
{
    const QLatin1StringView prefix("call-");
    if (!text.startsWith(prefix) || text.size() == prefix.size() || text.size() > 25)
        return std::nullopt;
    char digits[20];
    const QStringView number = text.sliced(prefix.size());
    for (qsizetype i = 0; i < number.size(); ++i) {
        if (number[i] < u'0' || number[i] > u'9')
            return std::nullopt;
        digits[i] = char(number[i].unicode());
    }
    std::uint64_t value = 0;
    const auto [end, error] = std::from_chars(digits, digits + number.size(), value);
    if (error != std::errc() || end != digits + number.size() || value == 0)
        return std::nullopt;
    return value;
}

std::optional<ErrorKind> errorKindFromName(QStringView name)
{
    for (int i = 0; i <= int(ErrorKind::Cancelled); ++i) {
        if (name == errorKindName(ErrorKind(i)))
            return ErrorKind(i);
    }
    return std::nullopt;
}

// Reads the object's fields, remembering whether any present one was malformed.
class FieldReader final
{
public:
    explicit FieldReader(QJsonObject object)
        : m_object(std::move(object))
    {}

    bool valid() const { return m_valid; }

    std::optional<QString> string(QLatin1StringView key)
    {
        const QJsonValue value = m_object.value(key);
        if (value.isUndefined())
            return std::nullopt;
        if (!value.isString())
            return fail<QString>();
        return value.toString();
    }

    // Whole numbers in [min, max] only. toInteger() gives its default for fractions and huge
    // values alike, so a 0 is believed only when the number really is zero.
    std::optional<qint64> integer(QLatin1StringView key, qint64 min, qint64 max)
    {
        const QJsonValue value = m_object.value(key);
        if (value.isUndefined())
            return std::nullopt;
        const qint64 integer = value.toInteger(0);
        if (!value.isDouble() || (integer == 0 && value.toDouble() != 0.0) || integer < min ||
            integer > max)
            return fail<qint64>();
        return integer;
    }

    std::optional<double> number(QLatin1StringView key)
    {
        const QJsonValue value = m_object.value(key);
        if (value.isUndefined())
            return std::nullopt;
        if (!value.isDouble())
            return fail<double>();
        return value.toDouble();
    }

    // A string field that must hold one of a set of names.
    template <typename T, typename FromText>
    std::optional<T> named(QLatin1StringView key, FromText fromText)
    {
        const std::optional<QString> text = string(key);
        if (!text)
            return std::nullopt;
        const std::optional<T> value = fromText(*text);
        if (!value)
            return fail<T>();
        return value;
    }

private:
    template <typename T> std::optional<T> fail()
    {
        m_valid = false;
        return std::nullopt;
    }

    const QJsonObject m_object;
    bool m_valid = true;
};

constexpr qint64 kIntMin = std::numeric_limits<int>::min();
constexpr qint64 kIntMax = std::numeric_limits<int>::max();
constexpr qint64 kInt64Max = std::numeric_limits<qint64>::max();

} // namespace

std::optional<Event> parseLogLine(QByteArrayView line)
{
    if (line.endsWith('\n'))
        line.chop(1);
    if (line.endsWith('\r'))
        line.chop(1);
    QJsonParseError error;
    const QJsonDocument document =
        QJsonDocument::fromJson(QByteArray::fromRawData(line.data(), line.size()), &error);
    if (error.error != QJsonParseError::NoError || !document.isObject())
        return std::nullopt;

    FieldReader fields(document.object());
    const auto time = fields.named<WallTime>("ts"_L1, parseTimestamp);
    const auto level = fields.named<EventLevel>("level"_L1, eventLevelFromName);
    const auto type = fields.named<EventType>("event"_L1, eventTypeFromName);
    if (!time || !level || !type)
        return std::nullopt;

    Event event;
    event.time = *time;
    event.level = *level;
    event.type = *type;
    event.service = fields.string("service"_L1).value_or(QString());
    event.callId = fields.named<std::uint64_t>("call_id"_L1, parseCallId).value_or(0);
    event.attempt = int(fields.integer("attempt"_L1, kIntMin, kIntMax).value_or(0));
    event.state = fields.named<BreakerState>("state"_L1, breakerStateFromName);
    event.fromState = fields.named<BreakerState>("from_state"_L1, breakerStateFromName);
    event.toState = fields.named<BreakerState>("to_state"_L1, breakerStateFromName);
    event.reason = fields.string("reason"_L1).value_or(QString());
    event.latencyMs = fields.number("latency_ms"_L1);
    event.delayMs = fields.integer("delay_ms"_L1, std::numeric_limits<qint64>::min(), kInt64Max);
    event.errorKind = fields.named<ErrorKind>("error_kind"_L1, errorKindFromName);
    event.httpStatus = int(fields.integer("http_status"_L1, kIntMin, kIntMax).value_or(0));
    event.errorCode = fields.string("error_code"_L1).value_or(QString());
    event.message = fields.string("message"_L1).value_or(QString());
    event.sequence = std::uint64_t(fields.integer("seq"_L1, 0, kInt64Max).value_or(0));
    if (!fields.valid())
        return std::nullopt;
    return event;
}

} // namespace breakwater
