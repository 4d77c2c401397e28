#include "eventcsv.h"

#include "jsonencoding.h"

#include <QByteArray>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <optional>

namespace breakwater {
namespace {

constexpr int kLevelCount = int(EventLevel::Critical) + 1;
constexpr int kStateCount = int(BreakerState::Disabled) + 1;
constexpr int kErrorKindCount = int(ErrorKind::Cancelled) + 1;

// The UTF-8 text of every name, rendered once from the names' single source of truth, so that a
// record only copies bytes.
struct NameBytes
{
    std::array<QByteArray, kEventTypeCount> types;
    std::array<QByteArray, kLevelCount> levels;
    std::array<QByteArray, kStateCount> states;
    std::array<QByteArray, kErrorKindCount> errorKinds;

    NameBytes()
    {
        for (int i = 0; i < kEventTypeCount; ++i)
            types[i] = eventTypeName(EventType(i)).toUtf8();
        for (int i = 0; i < kLevelCount; ++i)
            levels[i] = eventLevelName(EventLevel(i)).toUtf8();
        for (int i = 0; i < kStateCount; ++i)
            states[i] = breakerStateName(BreakerState(i)).toUtf8();
        for (int i = 0; i < kErrorKindCount; ++i)
            errorKinds[i] = errorKindName(ErrorKind(i)).toUtf8();
    }

    // An enum value from a newer or corrupted source still yields a readable cell.
    template <std::size_t N>
    static QByteArrayView pick(const std::array<QByteArray, N>& names, std::size_t index)
    {
        return index < N ? QByteArrayView(names[index]) : QByteArrayView("unknown");
    }
};

const NameBytes& nameBytes()
{
    static const NameBytes names;
    return names;
}

template <std::size_t N, typename Enum>
void addName(CsvWriter& csv, const std::array<QByteArray, N>& names,
             const std::optional<Enum>& value)
{
    if (value)
        csv.addUtf8Field(NameBytes::pick(names, std::size_t(*value)));
    else
        csv.addEmptyField();
}

void addNonZero(CsvWriter& csv, std::int64_t value)
{
    if (value != 0)
        csv.addField(value);
    else
        csv.addEmptyField();
}

} // namespace

void EventCsvFormatter::writeHeader(CsvWriter& csv) const
{
    for (const std::string_view column : kColumns)
        csv.addUtf8Field(QByteArrayView(column.data(), qsizetype(column.size())));
    csv.endRecord();
}

void EventCsvFormatter::writeRecord(CsvWriter& csv, const Event& event)
{
    const NameBytes& names = nameBytes();
    char text[std::max(json::kMaxMillisecondsBytes, std::size_t(IsoTimestampWriter::kLength))];

    csv.addUtf8Field(QByteArrayView(text, m_timestamp.write(text, event.time) - text));
    csv.addUtf8Field(NameBytes::pick(names.levels, std::size_t(event.level)));
    csv.addUtf8Field(NameBytes::pick(names.types, std::size_t(event.type)));
    csv.addField(event.service);
    if (event.callId != 0) {
        char* end = json::writeUnsigned(text + 5, event.callId);
        std::memcpy(text, "call-", 5);
        csv.addUtf8Field(QByteArrayView(text, end - text));
    } else {
        csv.addEmptyField();
    }
    addNonZero(csv, event.attempt);
    addName(csv, names.states, event.state);
    addName(csv, names.states, event.fromState);
    addName(csv, names.states, event.toState);
    csv.addField(event.reason);
    // Like the log, a latency that is not a number is left out rather than written as "nan".
    if (event.latencyMs && std::isfinite(*event.latencyMs))
        csv.addNumberField(
            QByteArrayView(text, json::writeMilliseconds(text, *event.latencyMs) - text));
    else
        csv.addEmptyField();
    if (event.delayMs)
        csv.addField(std::int64_t(*event.delayMs));
    else
        csv.addEmptyField();
    addName(csv, names.errorKinds, event.errorKind);
    addNonZero(csv, event.httpStatus);
    csv.addField(event.errorCode);
    csv.addField(event.message);
    csv.endRecord();
}

} // namespace breakwater
