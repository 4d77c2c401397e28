#pragma once

#include "clock/clock.h"

#include <QString>

#include <optional>

namespace breakwater {

enum class AlertSeverity : quint8
{
    Info,
    Warning,
    Critical
};
QString alertSeverityName(AlertSeverity severity); // "info", "warning", "critical"

// Something people must hear about. One alert per fingerprint (rule + service) is active at a
// time: the same condition firing again is the same alert, not a new one.
struct Alert
{
    QString fingerprint; // "<rule>/<service>"
    QString rule;        // "breaker_open"
    QString service;
    AlertSeverity severity = AlertSeverity::Critical;
    QString summary;     // one line for a feed or a message subject
    QString description; // the details: why, with the numbers
    WallTime startsAt;
    std::optional<WallTime> endsAt; // set once resolved

    bool isResolved() const noexcept { return endsAt.has_value(); }
};

// A way to reach people (email, Telegram, a webhook). The manager calls it on the event stream's
// thread for every alert raised and resolved: it must hand the work off and return at once.
class AlertNotifier
{
public:
    virtual ~AlertNotifier() = default;
    virtual QString channelName() const = 0;
    virtual void notify(const Alert& alert) = 0;
};

} // namespace breakwater
