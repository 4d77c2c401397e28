#include "logrowref.h"

namespace breakwater {
namespace {

template <typename Enum> std::optional<Enum> optionalEnum(std::uint8_t value)
{
    if (value == LogRow::kAbsent)
        return std::nullopt;
    return Enum(value);
}

} // namespace

QString LogRowRef::text(LogStringRef ref) const
{
    if (ref == kEmptyLogString)
        return {};
    if (ref & kArenaLogString)
        return chunk.arenaText(ref).toString();
    return tableString(strings, ref);
}

bool LogRowRef::contains(LogStringRef ref, QStringView needle) const
{
    if (ref == kEmptyLogString)
        return needle.isEmpty();
    if (ref & kArenaLogString)
        return chunk.arenaText(ref).toString().contains(needle, Qt::CaseInsensitive);
    return tableString(strings, ref).contains(needle, Qt::CaseInsensitive);
}

Event LogRowRef::event() const
{
    Event e;
    e.sequence = row.sequence;
    e.time = WallTime(WallTime::duration(row.time));
    e.type = row.type;
    e.level = row.level;
    e.service = text(row.service);
    e.callId = row.callId;
    e.attempt = row.attempt;
    e.state = optionalEnum<BreakerState>(row.state);
    e.fromState = optionalEnum<BreakerState>(row.fromState);
    e.toState = optionalEnum<BreakerState>(row.toState);
    e.reason = text(row.reason);
    if (row.flags & LogRow::kHasLatency)
        e.latencyMs = row.latencyMs;
    if (row.flags & LogRow::kHasDelay)
        e.delayMs = row.delayMs;
    e.errorKind = optionalEnum<ErrorKind>(row.errorKind);
    e.httpStatus = row.httpStatus;
    e.errorCode = text(row.errorCode);
    e.message = text(row.message);
    return e;
}

} // namespace breakwater
