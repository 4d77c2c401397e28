#include "alertmanager.h"

namespace breakwater {
namespace {

const QString kBreakerOpenRule = QStringLiteral("breaker_open");

QString fingerprintOf(const QString& rule, const QString& service)
{
    return rule + QLatin1Char('/') + service;
}

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

AlertManager::AlertManager(EventPublisher& events)
    : m_events(events)
{}

void AlertManager::addNotifier(AlertNotifier* notifier)
{
    m_notifiers.push_back(notifier);
}

void AlertManager::consume(std::span<const Event> events)
{
    for (const Event& event : events) {
        if (event.type == EventType::BreakerTransition)
            onTransition(event);
    }
}

std::vector<Alert> AlertManager::activeAlerts() const
{
    std::lock_guard lock(m_mutex);
    std::vector<Alert> alerts;
    alerts.reserve(m_active.size());
    for (const auto& [fingerprint, alert] : m_active)
        alerts.push_back(alert);
    return alerts;
}

void AlertManager::onTransition(const Event& event)
{
    if (!event.toState)
        return;
    const QString fingerprint = fingerprintOf(kBreakerOpenRule, event.service);
    switch (*event.toState) {
    case BreakerState::Open:
    case BreakerState::ForcedOpen: {
        const bool forced = *event.toState == BreakerState::ForcedOpen;
        Alert alert;
        alert.fingerprint = fingerprint;
        alert.rule = kBreakerOpenRule;
        alert.service = event.service;
        alert.severity = forced ? AlertSeverity::Warning : AlertSeverity::Critical;
        alert.summary = forced ? QStringLiteral("%1: circuit breaker forced open by an operator")
                                     .arg(event.service)
                               : QStringLiteral("%1: circuit breaker opened, calls are being "
                                                "skipped")
                                     .arg(event.service);
        alert.description = event.message;
        alert.startsAt = event.time;
        raise(std::move(alert));
        break;
    }
    case BreakerState::Closed:
    case BreakerState::Disabled:
        resolve(
            fingerprint, event.time,
            *event.toState == BreakerState::Closed
                ? QStringLiteral("%1: circuit breaker closed, calls flow again").arg(event.service)
                : QStringLiteral("%1: circuit breaker disabled by an operator").arg(event.service));
        break;
    case BreakerState::HalfOpen:
        break; // still unresolved: the trial may fail
    }
}

void AlertManager::raise(Alert alert)
{
    {
        std::lock_guard lock(m_mutex);
        // A breaker reopening after a failed trial is the same outage, already announced.
        if (m_active.contains(alert.fingerprint))
            return;
        m_active.emplace(alert.fingerprint, alert);
    }
    announce(alert, EventType::AlertRaised);
}

void AlertManager::resolve(const QString& fingerprint, WallTime at, const QString& why)
{
    Alert alert;
    {
        std::lock_guard lock(m_mutex);
        auto it = m_active.find(fingerprint);
        if (it == m_active.end())
            return;
        alert = std::move(it->second);
        m_active.erase(it);
    }
    alert.endsAt = at;
    alert.summary = why;
    announce(alert, EventType::AlertResolved);
}

void AlertManager::announce(const Alert& alert, EventType type)
{
    Event e;
    e.time = alert.endsAt.value_or(alert.startsAt);
    e.type = type;
    e.level = type == EventType::AlertRaised
                  ? (alert.severity == AlertSeverity::Critical ? EventLevel::Critical
                                                               : EventLevel::Warning)
                  : EventLevel::Info;
    e.service = alert.service;
    e.reason = alert.rule;
    e.message = alert.isResolved()
                    ? alert.summary
                    : alert.summary + QStringLiteral(" (") + alert.description + QLatin1Char(')');
    m_events.publish(std::move(e));
    for (AlertNotifier* notifier : m_notifiers)
        notifier->notify(alert);
}

} // namespace breakwater
