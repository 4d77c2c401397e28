#pragma once

#include "alerts/alert.h"
#include "clock/clock.h"
#include "events/event.h"

#include <QColor>
#include <QString>

#include <optional>
#include <vector>

namespace breakwater {

// What one channel (email, telegram, webhook) said about delivering an alert.
struct AlertDelivery
{
    QString channel;
    bool delivered = false;
    QString detail; // why it failed
};

// One alert as the feed shows it: raised, perhaps resolved later, with its delivery per channel.
struct AlertFeedEntry
{
    WallTime time; // raised; for a resolution whose raise the feed never saw, resolved
    bool raiseSeen = true;
    AlertSeverity severity = AlertSeverity::Info;
    QString service;
    QString rule; // "breaker_open"
    QString message;
    std::optional<WallTime> resolvedAt;
    QString resolution; // what the resolution said
    std::vector<AlertDelivery> deliveries;

    bool isResolved() const noexcept { return resolvedAt.has_value(); }

    // A channel's latest word replaces its earlier one.
    void setDelivery(AlertDelivery delivery);

    QString statusText() const;   // "firing", "✓ resolved at 10:04:07 (2 min 13 s)"
    QString deliveryText() const; // "email: delivered, telegram: failed (timeout)"
    QString detailText() const;   // everything, for a tooltip
};

// An alert event's level as a severity: error and critical are critical, debug and info are info.
AlertSeverity alertSeverityOf(EventLevel level) noexcept;
// A colour to go with the severity's name, never instead of it.
QColor alertSeverityColour(AlertSeverity severity);

// "10:04:07", local time.
QString alertTimeText(WallTime time);
// "45 s", "2 min 13 s", "1 h 5 min".
QString alertDurationText(std::chrono::milliseconds duration);

} // namespace breakwater
