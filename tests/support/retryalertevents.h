#pragma once

#include "events/event.h"

#include <QDate>
#include <QDateTime>
#include <QTime>

#include <chrono>
#include <vector>

namespace breakwater::retryalerttest {

// 10:00:00 local time on a day without a clock change: times shown as "10:00:01.250" whatever the
// machine's time zone.
inline WallTime baseTime()
{
    const QDateTime base(QDate(2024, 5, 14), QTime(10, 0, 0));
    return WallTime(std::chrono::milliseconds(base.toMSecsSinceEpoch()));
}

inline WallTime at(std::chrono::milliseconds offset)
{
    return baseTime() + offset;
}

inline Event callEvent(EventType type, std::uint64_t callId, int attempt,
                       std::chrono::milliseconds offset,
                       const QString& service = QStringLiteral("elevenlabs"))
{
    Event e;
    e.time = at(offset);
    e.type = type;
    e.service = service;
    e.callId = callId;
    e.attempt = attempt;
    return e;
}

inline Event failedAttempt(std::uint64_t callId, int attempt, std::chrono::milliseconds offset,
                           int httpStatus,
                           const QString& message = QStringLiteral("Service Unavailable"))
{
    Event e = callEvent(EventType::AttemptFailed, callId, attempt, offset);
    e.level = EventLevel::Warning;
    e.errorKind = ErrorKind::Transient;
    e.httpStatus = httpStatus;
    e.message = message;
    return e;
}

inline Event timedOutAttempt(std::uint64_t callId, int attempt, std::chrono::milliseconds offset)
{
    Event e = callEvent(EventType::AttemptFailed, callId, attempt, offset);
    e.errorKind = ErrorKind::Transient;
    e.message = QStringLiteral("attempt %1 timed out after 5000 ms").arg(attempt);
    return e;
}

// As CallRun publishes it: the next attempt's number, the delay and the error that caused it.
inline Event retryScheduled(std::uint64_t callId, int nextAttempt, std::chrono::milliseconds offset,
                            std::int64_t delayMs, int httpStatus)
{
    Event e = callEvent(EventType::RetryScheduled, callId, nextAttempt, offset);
    e.delayMs = delayMs;
    e.reason = QStringLiteral("backoff");
    e.errorKind = ErrorKind::Transient;
    e.httpStatus = httpStatus;
    return e;
}

inline Event ended(EventType type, std::uint64_t callId, int attempts,
                   std::chrono::milliseconds offset, const QString& reason = {})
{
    Event e = callEvent(type, callId, attempts, offset);
    e.reason = reason;
    return e;
}

// The events of a call that succeeds at its first attempt.
inline std::vector<Event> firstTrySuccess(std::uint64_t callId, std::chrono::milliseconds offset)
{
    return {
        callEvent(EventType::CallStarted, callId, 0, offset),
        callEvent(EventType::AttemptStarted, callId, 1, offset),
        callEvent(EventType::AttemptSucceeded, callId, 1, offset + std::chrono::milliseconds(40)),
        ended(EventType::CallSucceeded, callId, 1, offset + std::chrono::milliseconds(40))};
}

inline Event alertEvent(EventType type, const QString& rule, const QString& service,
                        std::chrono::milliseconds offset, EventLevel level, const QString& message)
{
    Event e;
    e.time = at(offset);
    e.type = type;
    e.level = level;
    e.service = service;
    e.reason = rule;
    e.message = message;
    return e;
}

inline Event alertRaised(const QString& service, std::chrono::milliseconds offset,
                         EventLevel level = EventLevel::Critical,
                         const QString& rule = QStringLiteral("breaker_open"))
{
    return alertEvent(EventType::AlertRaised, rule, service, offset, level,
                      service + QStringLiteral(": circuit breaker opened, calls are being skipped "
                                               "(5 consecutive failures)"));
}

inline Event alertResolved(const QString& service, std::chrono::milliseconds offset,
                           const QString& rule = QStringLiteral("breaker_open"))
{
    return alertEvent(EventType::AlertResolved, rule, service, offset, EventLevel::Info,
                      service + QStringLiteral(": circuit breaker closed, calls flow again"));
}

inline Event delivery(const QString& service, const QString& channel, bool delivered,
                      std::chrono::milliseconds offset, const QString& why = {})
{
    Event e =
        alertEvent(delivered ? EventType::AlertDelivered : EventType::AlertDeliveryFailed, channel,
                   service, offset, delivered ? EventLevel::Info : EventLevel::Warning, why);
    return e;
}

} // namespace breakwater::retryalerttest
