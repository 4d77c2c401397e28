#pragma once

#include "clock/clock.h"

#include <QString>

#include <map>
#include <optional>

namespace breakwater {

enum class AlertSeverity : quint8
{
    Info,
    Warning,
    Critical
};
QString alertSeverityName(AlertSeverity severity); // "info", "warning", "critical"
std::optional<AlertSeverity> alertSeverityFromName(QStringView name);

// Label name -> value, sorted by name so that fingerprints and payloads come out the same every
// time.
using AlertLabels = std::map<QString, QString>;

// Something people must hear about. One alert per fingerprint is active at a time: the same
// condition firing again is the same alert, not a new one.
struct Alert
{
    QString fingerprint; // alertFingerprint(rule, service, labels)
    QString rule;        // "breaker_open": the Alertmanager `alertname`
    QString service;
    AlertLabels
        labels; // what else tells this alert apart, such as {"error_code": "quota_exceeded"}
    AlertSeverity severity = AlertSeverity::Critical;
    QString summary;     // one line for a feed or a message subject
    QString description; // the details: why, with the numbers
    WallTime startsAt;
    std::optional<WallTime> endsAt; // set once resolved

    bool isResolved() const noexcept { return endsAt.has_value(); }
    // Every label a receiver sees: alertname, service, severity and the alert's own.
    AlertLabels allLabels() const;
};

// 16 hex digits of a SHA-256 over the rule, the service and the labels: stable across runs and
// machines, so a receiver can de-duplicate by it as Alertmanager's receivers do. Severity is not
// part of it: an alert does not become another one by growing more urgent.
QString alertFingerprint(const QString& rule, const QString& service, const AlertLabels& labels);

// Builds an alert with its fingerprint filled in.
Alert makeAlert(const QString& rule, const QString& service, AlertLabels labels,
                AlertSeverity severity, WallTime startsAt);

} // namespace breakwater
