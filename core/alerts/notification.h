#pragma once

#include "alert.h"

#include <QByteArray>
#include <QJsonObject>

#include <optional>
#include <vector>

namespace breakwater {

// One message about a group of alerts (the alerts of one service), as every channel sends it:
// the alerts firing, then those resolved since the last message.
struct Notification
{
    QString service; // the group's label
    std::vector<Alert> alerts;
    WallTime createdAt;

    // Firing while any of its alerts is; resolved once all are.
    bool isFiring() const;
    int firingCount() const;
    int resolvedCount() const;
    // Alertmanager's group key: {}:{service="elevenlabs"}.
    QString groupKey() const;
    // "[FIRING:2] elevenlabs: breaker_open, breaker_stuck" or "[RESOLVED] elevenlabs: ...".
    QString title() const;
};

// The Prometheus Alertmanager webhook payload, version 4, that existing receivers accept: status,
// group and common labels, and each alert with its labels, annotations (summary, description),
// startsAt, endsAt (0001-01-01T00:00:00Z while firing) and fingerprint.
QJsonObject alertmanagerPayload(const Notification& notification);
// Reads one back (the outbox keeps notifications in this form). Says why not in error.
std::optional<Notification> notificationFromPayload(const QJsonObject& payload, QString* error);

// RFC 3339 in UTC with milliseconds, as the payload writes times.
QString rfc3339(WallTime time);

} // namespace breakwater
