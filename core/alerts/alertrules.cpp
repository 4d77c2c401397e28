#include "alertrules.h"

#include <QDateTime>

#include <algorithm>

namespace breakwater {

namespace {

using std::chrono::duration_cast;
using std::chrono::seconds;

QString durationText(Duration duration)
{
    const auto total = duration_cast<seconds>(duration).count();
    if (total < 120)
        return QStringLiteral("%1 s").arg(total);
    if (total < 2 * 3600)
        return QStringLiteral("%1 min").arg(total / 60);
    return QStringLiteral("%1 h %2 min").arg(total / 3600).arg(total % 3600 / 60);
}

QString utcTime(WallTime at)
{
    const auto msecs = duration_cast<std::chrono::milliseconds>(at.time_since_epoch()).count();
    return QDateTime::fromMSecsSinceEpoch(msecs, Qt::UTC).toString(QStringLiteral("HH:mm:ss")) +
           QStringLiteral(" UTC");
}

void dropOlderThan(std::deque<WallTime>& times, WallTime cutoff)
{
    while (!times.empty() && times.front() < cutoff)
        times.pop_front();
}

// A refusal only a person can fix: a wrong key, an exhausted quota, a voice that is not there.
bool needsAPerson(const Event& event)
{
    if (event.errorKind != ErrorKind::Permanent)
        return false;
    static const QStringList codes = {
        QStringLiteral("invalid_api_key"), QStringLiteral("quota_exceeded"),
        QStringLiteral("voice_not_found"), QStringLiteral("payment_required")};
    return codes.contains(event.errorCode) || event.httpStatus == 401 || event.httpStatus == 403;
}

bool isClosedLike(BreakerState state)
{
    return state == BreakerState::Closed || state == BreakerState::Disabled;
}

} // namespace

AlertRules::AlertRules(const AlertRuleSettings& settings)
    : m_settings(settings)
{}

std::vector<Alert> AlertRules::onEvent(const Event& event)
{
    std::vector<Alert> changes;
    switch (event.type) {
    case EventType::BreakerTransition:
        onTransition(event, changes);
        break;
    case EventType::CallFailed:
        onCallFailed(event, changes);
        break;
    case EventType::CallSucceeded:
        onCallSucceeded(event, changes);
        break;
    default:
        break;
    }
    return changes;
}

void AlertRules::onTransition(const Event& event, std::vector<Alert>& changes)
{
    if (!event.toState)
        return;
    ServiceState& service = m_services[event.service];
    const BreakerState from = service.breaker;
    const BreakerState to = *event.toState;
    service.breaker = to;
    const WallTime at = event.time;

    if (isClosedLike(to)) {
        const QString summary =
            to == BreakerState::Closed
                ? QStringLiteral("%1: circuit breaker closed, calls flow again").arg(event.service)
                : QStringLiteral("%1: circuit breaker disabled by an operator").arg(event.service);
        resolveRule(alertrule::kBreakerOpen, event.service, at, summary, changes);
        resolveRule(alertrule::kBreakerStuck, event.service, at, summary, changes);
        return;
    }
    if (isClosedLike(from))
        service.notClosedSince = at;
    if (to != BreakerState::Open && to != BreakerState::ForcedOpen)
        return; // half-open: the outage goes on until a close

    const bool forced = to == BreakerState::ForcedOpen;
    Alert open = makeAlert(alertrule::kBreakerOpen, event.service, {},
                           forced ? AlertSeverity::Warning : AlertSeverity::Critical, at);
    open.summary =
        forced ? QStringLiteral("%1: circuit breaker forced open by an operator").arg(event.service)
               : QStringLiteral("%1: circuit breaker opened, calls are being skipped")
                     .arg(event.service);
    open.description = event.message;
    raise(std::move(open), changes);

    if (from != BreakerState::Closed || forced)
        return; // a failed trial reopening is the same outage, not another trip
    service.trips.push_back(at);
    dropOlderThan(service.trips, at - m_settings.flappingWindow);
    if (int(service.trips.size()) >= m_settings.flappingTrips) {
        Alert flapping =
            makeAlert(alertrule::kBreakerFlapping, event.service, {}, AlertSeverity::Warning, at);
        flapping.summary = QStringLiteral("%1: circuit breaker flapping, %2 trips in %3")
                               .arg(event.service)
                               .arg(service.trips.size())
                               .arg(durationText(m_settings.flappingWindow));
        flapping.description = QStringLiteral("The service keeps failing again soon after it "
                                              "recovers; the latest trip: %1")
                                   .arg(event.message);
        raise(std::move(flapping), changes);
    }
}

void AlertRules::onCallFailed(const Event& event, std::vector<Alert>& changes)
{
    if (needsAPerson(event)) {
        onPermanentError(event, changes);
        return;
    }
    if (event.reason != u"retries_exhausted" && event.reason != u"retry_budget_exhausted")
        return;
    ServiceState& service = m_services[event.service];
    service.exhaustedCalls.push_back(event.time);
    dropOlderThan(service.exhaustedCalls, event.time - m_settings.retriesExhaustedWindow);
    if (int(service.exhaustedCalls.size()) < m_settings.retriesExhaustedCalls)
        return;
    Alert alert = makeAlert(alertrule::kRetriesExhausted, event.service, {}, AlertSeverity::Warning,
                            event.time);
    alert.summary = QStringLiteral("%1: %2 calls failed with every retry spent in %3")
                        .arg(event.service)
                        .arg(service.exhaustedCalls.size())
                        .arg(durationText(m_settings.retriesExhaustedWindow));
    alert.description = QStringLiteral("The latest: %1 after %2 attempts: %3")
                            .arg(callIdText(event.callId))
                            .arg(event.attempt)
                            .arg(event.message);
    raise(std::move(alert), changes);
}

void AlertRules::onPermanentError(const Event& event, std::vector<Alert>& changes)
{
    const QString code = event.errorCode.isEmpty() ? QStringLiteral("http_%1").arg(event.httpStatus)
                                                   : event.errorCode;
    Alert alert =
        makeAlert(alertrule::kPermanentError, event.service, {{QStringLiteral("error_code"), code}},
                  AlertSeverity::Critical, event.time);
    alert.summary =
        QStringLiteral("%1 refuses calls: %2, a person must act").arg(event.service, code);
    alert.description = QStringLiteral("HTTP %1: %2 (first seen on %3)")
                            .arg(event.httpStatus)
                            .arg(event.message, callIdText(event.callId));
    raise(std::move(alert), changes);
}

void AlertRules::onCallSucceeded(const Event& event, std::vector<Alert>& changes)
{
    // Nearly every event is a success and a permanent error is seldom active: format the
    // summary only when there is an alert to resolve, not for every call.
    const bool refused = std::any_of(m_active.begin(), m_active.end(), [&event](const auto& a) {
        return a.second.rule == alertrule::kPermanentError && a.second.service == event.service;
    });
    if (!refused)
        return;
    resolveRule(alertrule::kPermanentError, event.service, event.time,
                QStringLiteral("%1 accepts calls again").arg(event.service), changes);
}

std::vector<Alert> AlertRules::evaluate(WallTime now)
{
    std::vector<Alert> changes;
    for (auto& [name, service] : m_services) {
        dropOlderThan(service.trips, now - m_settings.flappingWindow);
        if (int(service.trips.size()) < m_settings.flappingTrips)
            resolveRule(alertrule::kBreakerFlapping, name, now,
                        QStringLiteral("%1: circuit breaker steady again, %2 trips in %3")
                            .arg(name)
                            .arg(service.trips.size())
                            .arg(durationText(m_settings.flappingWindow)),
                        changes);

        dropOlderThan(service.exhaustedCalls, now - m_settings.retriesExhaustedWindow);
        if (int(service.exhaustedCalls.size()) < m_settings.retriesExhaustedCalls)
            resolveRule(alertrule::kRetriesExhausted, name, now,
                        QStringLiteral("%1: calls no longer fail with every retry spent").arg(name),
                        changes);

        // An operator's forced-open is on purpose: nothing is stuck.
        const bool outage =
            service.breaker == BreakerState::Open || service.breaker == BreakerState::HalfOpen;
        if (outage && now - service.notClosedSince >= m_settings.stuckAfter) {
            Alert stuck =
                makeAlert(alertrule::kBreakerStuck, name, {}, AlertSeverity::Warning, now);
            stuck.summary = QStringLiteral("%1: circuit breaker not closed for %2")
                                .arg(name, durationText(now - service.notClosedSince));
            stuck.description =
                QStringLiteral("Open or half-open since %1 (now %2): the service has not "
                               "recovered and health probes have not closed the breaker.")
                    .arg(utcTime(service.notClosedSince), breakerStateName(service.breaker));
            raise(std::move(stuck), changes);
        }
    }
    return changes;
}

std::vector<Alert> AlertRules::active() const
{
    std::vector<Alert> alerts;
    alerts.reserve(m_active.size());
    for (const auto& [fingerprint, alert] : m_active)
        alerts.push_back(alert);
    return alerts;
}

void AlertRules::raise(Alert alert, std::vector<Alert>& changes)
{
    if (m_active.contains(alert.fingerprint))
        return;
    m_active.emplace(alert.fingerprint, alert);
    changes.push_back(std::move(alert));
}

void AlertRules::resolve(const QString& fingerprint, WallTime at, const QString& summary,
                         std::vector<Alert>& changes)
{
    const auto it = m_active.find(fingerprint);
    if (it == m_active.end())
        return;
    Alert alert = std::move(it->second);
    m_active.erase(it);
    alert.endsAt = at;
    alert.description = alert.summary; // what was wrong, kept for the resolved message
    alert.summary = summary;
    changes.push_back(std::move(alert));
}

void AlertRules::resolveRule(const QString& rule, const QString& service, WallTime at,
                             const QString& summary, std::vector<Alert>& changes)
{
    std::vector<QString> matching;
    for (const auto& [fingerprint, alert] : m_active) {
        if (alert.rule == rule && alert.service == service)
            matching.push_back(fingerprint);
    }
    for (const QString& fingerprint : matching)
        resolve(fingerprint, at, summary, changes);
}

} // namespace breakwater
