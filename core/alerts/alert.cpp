#include "alert.h"

#include <QCryptographicHash>

#include <array>

namespace breakwater {

namespace {

constexpr std::array kSeverities = {AlertSeverity::Info, AlertSeverity::Warning,
                                    AlertSeverity::Critical};

} // namespace

QString alertSeverityName(AlertSeverity severity)
{
    switch (severity) {
    case AlertSeverity::Info:
        return QStringLiteral("info");
    case AlertSeverity::Warning:
        return QStringLiteral("warning");
    case AlertSeverity::Critical:
        return QStringLiteral("critical");
    }
    return {};
}

std::optional<AlertSeverity> alertSeverityFromName(QStringView name)
{
    for (const AlertSeverity severity : kSeverities) {
        if (name == alertSeverityName(severity))
            return severity;
    }
    return std::nullopt;
}

AlertLabels Alert::allLabels() const
{
    AlertLabels all = labels;
    all[QStringLiteral("alertname")] = rule;
    all[QStringLiteral("service")] = service;
    all[QStringLiteral("severity")] = alertSeverityName(severity);
    return all;
}

QString alertFingerprint(const QString& rule, const QString& service, const AlertLabels& labels)
{
    QCryptographicHash hash(QCryptographicHash::Sha256);
    // Unit separators keep ("a", "bc") and ("ab", "c") apart.
    const auto add = [&hash](const QString& text) {
        hash.addData(text.toUtf8());
        hash.addData(QByteArrayView("\x1f", 1));
    };
    add(rule);
    add(service);
    for (const auto& [name, value] : labels) {
        add(name);
        add(value);
    }
    return QString::fromLatin1(hash.result().toHex().left(16));
}

Alert makeAlert(const QString& rule, const QString& service, AlertLabels labels,
                AlertSeverity severity, WallTime startsAt)
{
    Alert alert;
    alert.fingerprint = alertFingerprint(rule, service, labels);
    alert.rule = rule;
    alert.service = service;
    alert.labels = std::move(labels);
    alert.severity = severity;
    alert.startsAt = startsAt;
    return alert;
}

} // namespace breakwater
