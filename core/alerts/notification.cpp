#include "notification.h"

#include <QDateTime>
#include <QJsonArray>

#include <algorithm>

namespace breakwater {

namespace {

const QString kZeroTime = QStringLiteral("0001-01-01T00:00:00Z");
constexpr QLatin1StringView kReceiver("breakwater");

std::optional<WallTime> parseTime(const QString& text)
{
    if (text == kZeroTime)
        return std::nullopt;
    const QDateTime at = QDateTime::fromString(text, Qt::ISODateWithMs);
    if (!at.isValid())
        return std::nullopt;
    return WallTime(std::chrono::milliseconds(at.toMSecsSinceEpoch()));
}

QJsonObject labelsObject(const AlertLabels& labels)
{
    QJsonObject object;
    for (const auto& [name, value] : labels)
        object.insert(name, value);
    return object;
}

// The labels (or annotations) every alert of the list shares, with the same value.
AlertLabels common(const std::vector<AlertLabels>& sets)
{
    if (sets.empty())
        return {};
    AlertLabels shared = sets.front();
    for (const AlertLabels& set : sets) {
        std::erase_if(shared, [&set](const auto& entry) {
            const auto found = set.find(entry.first);
            return found == set.end() || found->second != entry.second;
        });
    }
    return shared;
}

AlertLabels annotationsOf(const Alert& alert)
{
    return {{QStringLiteral("summary"), alert.summary},
            {QStringLiteral("description"), alert.description}};
}

} // namespace

bool Notification::isFiring() const
{
    return firingCount() > 0;
}

int Notification::firingCount() const
{
    return int(std::count_if(alerts.begin(), alerts.end(),
                             [](const Alert& a) { return !a.isResolved(); }));
}

int Notification::resolvedCount() const
{
    return int(alerts.size()) - firingCount();
}

QString Notification::groupKey() const
{
    return QStringLiteral("{}:{service=\"%1\"}").arg(service);
}

QString Notification::title() const
{
    QStringList rules;
    for (const Alert& alert : alerts) {
        if (!rules.contains(alert.rule))
            rules.append(alert.rule);
    }
    const QString status = isFiring() ? QStringLiteral("[FIRING:%1]").arg(firingCount())
                                      : QStringLiteral("[RESOLVED]");
    return QStringLiteral("%1 %2: %3").arg(status, service, rules.join(QStringLiteral(", ")));
}

QString rfc3339(WallTime time)
{
    const auto msecs =
        std::chrono::duration_cast<std::chrono::milliseconds>(time.time_since_epoch()).count();
    return QDateTime::fromMSecsSinceEpoch(msecs, Qt::UTC).toString(Qt::ISODateWithMs);
}

QJsonObject alertmanagerPayload(const Notification& notification)
{
    QJsonArray alerts;
    std::vector<AlertLabels> labelSets;
    std::vector<AlertLabels> annotationSets;
    for (const Alert& alert : notification.alerts) {
        const AlertLabels labels = alert.allLabels();
        labelSets.push_back(labels);
        annotationSets.push_back(annotationsOf(alert));
        alerts.append(QJsonObject{
            {QStringLiteral("status"),
             alert.isResolved() ? QStringLiteral("resolved") : QStringLiteral("firing")},
            {QStringLiteral("labels"), labelsObject(labels)},
            {QStringLiteral("annotations"), labelsObject(annotationSets.back())},
            {QStringLiteral("startsAt"), rfc3339(alert.startsAt)},
            {QStringLiteral("endsAt"), alert.endsAt ? rfc3339(*alert.endsAt) : kZeroTime},
            {QStringLiteral("generatorURL"), QString()},
            {QStringLiteral("fingerprint"), alert.fingerprint},
        });
    }
    return QJsonObject{
        {QStringLiteral("version"), QStringLiteral("4")},
        {QStringLiteral("groupKey"), notification.groupKey()},
        {QStringLiteral("truncatedAlerts"), 0},
        {QStringLiteral("status"),
         notification.isFiring() ? QStringLiteral("firing") : QStringLiteral("resolved")},
        {QStringLiteral("receiver"), kReceiver},
        {QStringLiteral("groupLabels"),
         QJsonObject{{QStringLiteral("service"), notification.service}}},
        {QStringLiteral("commonLabels"), labelsObject(common(labelSets))},
        {QStringLiteral("commonAnnotations"), labelsObject(common(annotationSets))},
        {QStringLiteral("externalURL"), QString()},
        {QStringLiteral("alerts"), alerts},
    };
}

std::optional<Notification> notificationFromPayload(const QJsonObject& payload, QString* error)
{
    const auto fail = [error](const QString& why) -> std::optional<Notification> {
        if (error)
            *error = why;
        return std::nullopt;
    };
    if (payload.value(QStringLiteral("version")).toString() != u"4")
        return fail(QStringLiteral("not an Alertmanager version 4 payload"));
    Notification notification;
    notification.service = payload.value(QStringLiteral("groupLabels"))
                               .toObject()
                               .value(QStringLiteral("service"))
                               .toString();
    const QJsonArray alerts = payload.value(QStringLiteral("alerts")).toArray();
    if (alerts.isEmpty())
        return fail(QStringLiteral("holds no alerts"));
    for (const QJsonValue& value : alerts) {
        const QJsonObject object = value.toObject();
        const QJsonObject labels = object.value(QStringLiteral("labels")).toObject();
        const QJsonObject annotations = object.value(QStringLiteral("annotations")).toObject();
        Alert alert;
        for (auto it = labels.begin(); it != labels.end(); ++it) {
            const QString text = it.value().toString();
            if (it.key() == u"alertname")
                alert.rule = text;
            else if (it.key() == u"service")
                alert.service = text;
            else if (it.key() == u"severity")
                alert.severity = alertSeverityFromName(text).value_or(AlertSeverity::Critical);
            else
                alert.labels[it.key()] = text;
        }
        const std::optional<WallTime> startsAt =
            parseTime(object.value(QStringLiteral("startsAt")).toString());
        if (alert.rule.isEmpty() || !startsAt)
            return fail(QStringLiteral("an alert lacks its alertname or startsAt"));
        alert.startsAt = *startsAt;
        if (object.value(QStringLiteral("status")).toString() == u"resolved")
            alert.endsAt = parseTime(object.value(QStringLiteral("endsAt")).toString())
                               .value_or(alert.startsAt);
        alert.summary = annotations.value(QStringLiteral("summary")).toString();
        alert.description = annotations.value(QStringLiteral("description")).toString();
        alert.fingerprint = object.value(QStringLiteral("fingerprint")).toString();
        if (alert.fingerprint.isEmpty())
            alert.fingerprint = alertFingerprint(alert.rule, alert.service, alert.labels);
        notification.alerts.push_back(std::move(alert));
    }
    if (notification.service.isEmpty())
        notification.service = notification.alerts.front().service;
    return notification;
}

} // namespace breakwater
