#include "eventtext.h"

namespace breakwater {
namespace {

QString millis(double ms)
{
    return ms < 10.0 ? QString::number(ms, 'f', 2) + QStringLiteral(" ms")
                     : QString::number(ms, 'f', 0) + QStringLiteral(" ms");
}

// "503 service_unavailable: Service Unavailable" or just the message.
QString errorText(const Event& e)
{
    QString text;
    if (e.httpStatus != 0)
        text = QString::number(e.httpStatus);
    if (!e.errorCode.isEmpty())
        text += (text.isEmpty() ? QString() : QStringLiteral(" ")) + e.errorCode;
    if (!e.message.isEmpty())
        text += (text.isEmpty() ? QString() : QStringLiteral(": ")) + e.message;
    return text;
}

QString latencySuffix(const Event& e)
{
    return e.latencyMs ? QStringLiteral(" (") + millis(*e.latencyMs) + QLatin1Char(')') : QString();
}

QString stateName(const std::optional<BreakerState>& state)
{
    return state ? breakerStateName(*state) : QStringLiteral("?");
}

} // namespace

QString describeEvent(const Event& e)
{
    const QString call = callIdText(e.callId);
    switch (e.type) {
    case EventType::CallStarted:
        return call + QStringLiteral(" started");
    case EventType::AttemptStarted:
        return call + QStringLiteral(" attempt %1 started").arg(e.attempt);
    case EventType::AttemptSucceeded:
        return call + QStringLiteral(" attempt %1 succeeded").arg(e.attempt) + latencySuffix(e);
    case EventType::AttemptFailed:
        return call + QStringLiteral(" attempt %1 failed: ").arg(e.attempt) + errorText(e) +
               latencySuffix(e);
    case EventType::RetryScheduled:
        return call + QStringLiteral(" retry %1 in %2 ms (%3)")
                          .arg(e.attempt)
                          .arg(e.delayMs.value_or(0))
                          .arg(e.reason);
    case EventType::CallSucceeded:
        return call +
               QStringLiteral(" succeeded after %1 attempt%2")
                   .arg(e.attempt)
                   .arg(e.attempt == 1 ? QString() : QStringLiteral("s")) +
               latencySuffix(e);
    case EventType::CallFailed:
        return call + QStringLiteral(" failed (") + e.reason + QStringLiteral("): ") + errorText(e);
    case EventType::CallSkipped:
        return call + QStringLiteral(" skipped (") + e.reason + QLatin1Char(')') + latencySuffix(e);
    case EventType::CallDegraded:
        return call + QStringLiteral(" degraded (") + e.reason + QLatin1Char(')');
    case EventType::BreakerTransition:
        return e.service + QStringLiteral(" breaker ") + stateName(e.fromState) +
               QStringLiteral(" -> ") + stateName(e.toState) + QStringLiteral(": ") + e.message;
    case EventType::HealthProbe:
        return e.service + QStringLiteral(" health probe ") + e.reason +
               (e.errorKind ? QStringLiteral(": ") + errorText(e) : QString()) + latencySuffix(e) +
               QStringLiteral(", breaker ") + stateName(e.state);
    case EventType::AlertRaised:
        return QStringLiteral("ALERT ") + eventLevelName(e.level) + QStringLiteral(": ") +
               e.message;
    case EventType::AlertResolved:
        return QStringLiteral("RESOLVED: ") + e.message;
    case EventType::AlertDelivered:
    case EventType::AlertDeliveryFailed:
    case EventType::FaultInjected:
    case EventType::ServiceRestored:
    case EventType::EventsDropped:
    case EventType::AlertSilenced:
        break;
    case EventType::QtMessage:
        return QStringLiteral("Qt ") + e.reason + QStringLiteral(": ") + e.message;
    case EventType::SheetsAppendFailed:
    case EventType::SheetsAppendRecovered:
    case EventType::SheetsRowsDropped:
        return QStringLiteral("Sheets: ") + e.message;
    }
    return eventTypeName(e.type) +
           (e.service.isEmpty() ? QString() : QLatin1Char(' ') + e.service) +
           (e.message.isEmpty() ? QString() : QStringLiteral(": ") + e.message);
}

} // namespace breakwater
