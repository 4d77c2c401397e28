#include "breakertransition.h"

namespace breakwater {

namespace {
QString seconds(Duration d)
{
    return QString::number(std::chrono::duration<double>(d).count(), 'f', 1) + QStringLiteral(" s");
}

QString percent(double value)
{
    return QString::number(value, 'f', 1) + QLatin1Char('%');
}

} // namespace

static QString describeReason(const BreakerTransition& t);

QString describeTransition(const BreakerTransition& t)
{
    QString why = describeReason(t);
    if (t.to == BreakerState::Open)
        why += QStringLiteral("; open for ") + seconds(t.openWait);
    return why;
}

static QString describeReason(const BreakerTransition& t)
{
    const WindowSnapshot& w = t.window;
    switch (t.reason) {
    case TransitionReason::ConsecutiveFailures:
        return QStringLiteral("%1 consecutive failures (threshold %2)")
            .arg(w.consecutiveFailures)
            .arg(w.consecutiveFailureThreshold);
    case TransitionReason::FailureRate:
        return QStringLiteral("failure rate %1 of %2 calls (threshold %3)")
            .arg(percent(w.counts.failureRate()))
            .arg(w.counts.calls)
            .arg(percent(w.failureRateThreshold));
    case TransitionReason::SlowCallRate:
        return QStringLiteral("slow-call rate %1 of %2 calls (threshold %3)")
            .arg(percent(w.counts.slowCallRate()))
            .arg(w.counts.calls)
            .arg(percent(w.slowCallRateThreshold));
    case TransitionReason::OpenWaitElapsed:
        return QStringLiteral("open wait elapsed; letting trial calls through");
    case TransitionReason::HealthProbeSucceeded:
        return QStringLiteral("health probe succeeded");
    case TransitionReason::HealthProbeFailed:
        return QStringLiteral("health probe failed during the trial");
    case TransitionReason::HalfOpenSucceeded:
        return QStringLiteral("enough trial calls or health probes succeeded");
    case TransitionReason::HalfOpenCallFailed:
        return QStringLiteral("a trial call failed");
    case TransitionReason::HalfOpenCallSlow:
        return QStringLiteral("a trial call was slow");
    case TransitionReason::HalfOpenTimedOut:
        return QStringLiteral("no verdict from trial calls in time");
    case TransitionReason::ForcedOpen:
        return QStringLiteral("forced open by an operator");
    case TransitionReason::ForcedClosed:
        return QStringLiteral("reset by an operator");
    case TransitionReason::Disabled:
        return QStringLiteral("disabled by an operator");
    }
    return {};
}

} // namespace breakwater
