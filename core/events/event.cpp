#include "event.h"

#include <array>

namespace breakwater {
namespace {

constexpr std::array<const char*, kEventTypeCount> kTypeNames = {
    "call_started",         "attempt_started",         "attempt_succeeded",     "attempt_failed",
    "retry_scheduled",      "call_succeeded",          "call_failed",           "call_skipped",
    "call_degraded",        "breaker_transition",      "health_probe",          "alert_raised",
    "alert_resolved",       "alert_delivered",         "alert_delivery_failed", "fault_injected",
    "service_restored",     "events_dropped",          "alert_silenced",        "qt_message",
    "sheets_append_failed", "sheets_append_recovered", "sheets_rows_dropped",
};

constexpr std::array<const char*, 5> kLevelNames = {"debug", "info", "warning", "error",
                                                    "critical"};

} // namespace

QString eventTypeName(EventType type)
{
    return QString::fromLatin1(kTypeNames[std::size_t(type)]);
}

std::optional<EventType> eventTypeFromName(QStringView name)
{
    for (std::size_t i = 0; i < kTypeNames.size(); ++i) {
        if (name == QLatin1StringView(kTypeNames[i]))
            return EventType(i);
    }
    return std::nullopt;
}

QString eventLevelName(EventLevel level)
{
    return QString::fromLatin1(kLevelNames[std::size_t(level)]);
}

std::optional<EventLevel> eventLevelFromName(QStringView name)
{
    for (std::size_t i = 0; i < kLevelNames.size(); ++i) {
        if (name == QLatin1StringView(kLevelNames[i]))
            return EventLevel(i);
    }
    return std::nullopt;
}

void Event::setError(const ServiceError& error)
{
    errorKind = error.kind;
    httpStatus = error.httpStatus;
    errorCode = error.vendorCode;
    message = error.message;
}

QString callIdText(std::uint64_t callId)
{
    if (callId == 0)
        return {};
    return QStringLiteral("call-") + QString::number(callId);
}

} // namespace breakwater
