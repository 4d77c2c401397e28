#pragma once

#include "breaker/breakerstate.h"
#include "clock/clock.h"
#include "errors/serviceerror.h"

#include <QString>

#include <cstdint>
#include <optional>

namespace breakwater {

// Every observable fact Breakwater knows of. The names are the log's `event` field and are stable:
// add types, never rename one.
enum class EventType : quint8
{
    CallStarted,
    AttemptStarted,
    AttemptSucceeded,
    AttemptFailed,
    RetryScheduled,
    CallSucceeded,
    CallFailed,
    CallSkipped,
    CallDegraded,
    BreakerTransition,
    HealthProbe,
    AlertRaised,
    AlertResolved,
    AlertDelivered,
    AlertDeliveryFailed,
    FaultInjected,
    ServiceRestored,
    EventsDropped, // the stream shed events because its sinks fell behind; says how many
    AlertSilenced, // an operator muted (or unmuted) alerts of a rule or service
    QtMessage,     // a warning (or other message) of Qt's own, its category in `reason`
    // The Google Sheets sink (or sheets.csv): a request (or write) failed and will be tried again,
    // `reason` says why ("rate_limited", "forbidden", ...); it works again; rows were lost.
    SheetsAppendFailed,
    SheetsAppendRecovered,
    SheetsRowsDropped,
};
inline constexpr int kEventTypeCount = int(EventType::SheetsRowsDropped) + 1;

enum class EventLevel : quint8
{
    Debug,
    Info,
    Warning,
    Error,
    Critical
};

// "call_started", "attempt_failed", ...: as written in the log's `event` field.
QString eventTypeName(EventType type);
std::optional<EventType> eventTypeFromName(QStringView name);
// "debug", "info", "warning", "error", "critical".
QString eventLevelName(EventLevel level);
std::optional<EventLevel> eventLevelFromName(QStringView name);

// Whether the event ends a call: every call ends in exactly one of these.
constexpr bool isTerminal(EventType type) noexcept
{
    return type == EventType::CallSucceeded || type == EventType::CallFailed ||
           type == EventType::CallSkipped || type == EventType::CallDegraded;
}

// One fact, as a small value. Fields that do not apply stay at their "absent" value and are left
// out of the log line. Strings are Qt's implicitly shared ones, so copying an event into a batch
// costs reference counts, not allocations.
struct Event
{
    std::uint64_t sequence = 0; // set by the stream: the order events were published in
    WallTime time;              // `ts`
    EventType type = EventType::CallStarted;
    EventLevel level = EventLevel::Info;
    QString service;
    std::uint64_t callId = 0; // 0: none; written as "call-<n>"
    int attempt = 0;          // 1-based; 0: none
    // The service's breaker state after the event, in stream order: an attempt_failed that trips
    // the breaker still says "closed"; the breaker_transition right after it says "open".
    std::optional<BreakerState> state;
    std::optional<BreakerState> fromState; // breaker_transition only
    std::optional<BreakerState> toState;   // breaker_transition only
    QString reason;
    std::optional<double> latencyMs;
    std::optional<std::int64_t> delayMs; // retry_scheduled only
    std::optional<ErrorKind> errorKind;
    int httpStatus = 0; // 0: none
    QString errorCode;  // vendor code such as "quota_exceeded"
    QString message;

    // Attaches what an error says: kind, HTTP status, vendor code and message.
    void setError(const ServiceError& error);
};

// "call-42"; empty for 0.
QString callIdText(std::uint64_t callId);

} // namespace breakwater
