#pragma once

#include "alerts/alert.h"
#include "alerts/delivery.h"
#include "alerts/notification.h"

#include <QString>

#include <chrono>

namespace breakwater::testing {

// 2025-06-02T10:00:00Z plus `seconds`: fixed, so payloads can be compared with expected text.
inline WallTime sampleTime(int seconds = 0)
{
    return WallTime(std::chrono::seconds(1748858400 + seconds));
}

// A notification as the grouper makes them: two alerts firing, one resolved, with text that
// needs escaping in HTML and JSON (<, >, &, quotes) so that a channel that forgets to is caught.
inline Notification sampleNotification(const QString& service = QStringLiteral("elevenlabs"))
{
    Notification notification;
    notification.service = service;
    notification.createdAt = sampleTime(90);

    Alert open = makeAlert(QStringLiteral("breaker_open"), service, {}, AlertSeverity::Critical,
                           sampleTime(0));
    open.summary = QStringLiteral("Breaker opened: 5 failures <in a row> & \"quota\"");
    open.description = QStringLiteral("Calls failed with 429 for 30 s; p95 latency > 2 s.");

    Alert exhausted = makeAlert(QStringLiteral("retries_exhausted"), service,
                                {{QStringLiteral("error_code"), QStringLiteral("quota_exceeded")}},
                                AlertSeverity::Warning, sampleTime(10));
    exhausted.summary = QStringLiteral("7 calls spent every retry in 1 min");
    exhausted.description = QStringLiteral("Last error: quota_exceeded");

    Alert stuck = makeAlert(QStringLiteral("breaker_stuck"), service, {}, AlertSeverity::Critical,
                            sampleTime(-600));
    stuck.summary = QStringLiteral("Breaker stayed open for 5 min");
    stuck.endsAt = sampleTime(-60);

    notification.alerts = {open, exhausted, stuck};
    return notification;
}

inline Delivery sampleDelivery(const QString& id, const QString& channel,
                               Notification notification = sampleNotification())
{
    Delivery delivery;
    delivery.id = id;
    delivery.channel = channel;
    delivery.notification = std::move(notification);
    delivery.queuedAt = sampleTime(91);
    return delivery;
}

} // namespace breakwater::testing
