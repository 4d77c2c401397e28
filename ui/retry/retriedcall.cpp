#include "retriedcall.h"

#include <QDateTime>
#include <QStringList>

#include <algorithm>

namespace breakwater {
namespace {

// Network errors say what happened in a few words; a long message would crowd out the others.
constexpr qsizetype kMaxLabelLength = 32;

QString words(const QString& identifier)
{
    QString text = identifier;
    text.replace(QLatin1Char('_'), QLatin1Char(' '));
    return text;
}

QString errorDetail(int attempt, const Event& event)
{
    QString text = QStringLiteral("attempt %1: ").arg(attempt);
    QStringList parts;
    if (event.httpStatus != 0)
        parts << QString::number(event.httpStatus);
    if (!event.errorCode.isEmpty())
        parts << event.errorCode;
    if (event.errorKind)
        parts << QLatin1Char('(') + errorKindName(*event.errorKind) + QLatin1Char(')');
    text += parts.join(QLatin1Char(' '));
    if (!event.message.isEmpty())
        text += (parts.isEmpty() ? QString() : QStringLiteral(": ")) + event.message;
    return text;
}

} // namespace

QString attemptErrorLabel(const Event& event)
{
    if (event.httpStatus != 0)
        return QString::number(event.httpStatus);
    if (!event.errorCode.isEmpty())
        return event.errorCode;
    if (event.message.contains(QLatin1String("timed out")))
        return QStringLiteral("timeout");
    if (!event.message.isEmpty()) {
        return event.message.size() <= kMaxLabelLength
                   ? event.message
                   : event.message.left(kMaxLabelLength - 1) + QChar(0x2026);
    }
    if (event.errorKind)
        return errorKindName(*event.errorKind);
    return event.reason.isEmpty() ? QStringLiteral("error") : words(event.reason);
}

void RetriedCall::apply(const Event& event)
{
    lastUpdate = event.time;
    if (service.isEmpty())
        service = event.service;
    if (const std::optional<CallEnding> end = callEndingOf(event.type)) {
        noteAttempt(event.attempt);
        phase = Phase::Finished;
        ending = end;
        endReason = event.reason;
        return;
    }
    switch (event.type) {
    case EventType::AttemptStarted:
    case EventType::AttemptSucceeded:
        noteAttempt(event.attempt);
        phase = Phase::Attempting;
        break;
    case EventType::AttemptFailed:
        noteAttempt(event.attempt);
        recordError(event.attempt, event, false);
        phase = Phase::Attempting;
        break;
    case EventType::RetryScheduled:
        // The retry carries the error that caused it: the only record of the attempts made
        // before this call was worth tracking.
        noteAttempt(event.attempt - 1);
        recordError(event.attempt - 1, event, true);
        pendingDelayMs = event.delayMs.value_or(0);
        if (delaysMs.size() < std::size_t(kMaxTrackedAttempts))
            delaysMs.push_back(pendingDelayMs);
        phase = Phase::Waiting;
        break;
    default:
        break;
    }
}

void RetriedCall::noteAttempt(int attempt)
{
    attempts = std::max(attempts, attempt);
}

void RetriedCall::recordError(int attempt, const Event& event, bool keepExisting)
{
    if (attempt < 1 || attempt > kMaxTrackedAttempts)
        return;
    const auto index = std::size_t(attempt - 1);
    if (errors.size() <= index)
        errors.resize(index + 1);
    if (keepExisting && errors[index])
        return;
    errors[index] = AttemptError{attemptErrorLabel(event), errorDetail(attempt, event)};
}

QString RetriedCall::statusText() const
{
    switch (phase) {
    case Phase::Waiting:
        return QStringLiteral("waiting %1 ms").arg(pendingDelayMs);
    case Phase::Attempting:
        return QStringLiteral("retrying (attempt %1)").arg(attempts);
    case Phase::Finished:
        break;
    }
    const QString name = ending ? callEndingName(*ending) : QStringLiteral("ended");
    // "succeeded_after_retry" says nothing a row with several attempts does not already show.
    if (endReason.isEmpty() || ending == CallEnding::Succeeded)
        return name;
    return name + QStringLiteral(" (") + words(endReason) + QLatin1Char(')');
}

QString RetriedCall::errorsText() const
{
    QStringList labels;
    for (const std::optional<AttemptError>& error : errors) {
        if (error)
            labels << error->label;
    }
    return labels.join(QStringLiteral(", "));
}

QString RetriedCall::errorsDetail() const
{
    QStringList lines;
    for (const std::optional<AttemptError>& error : errors) {
        if (error)
            lines << error->detail;
    }
    return lines.join(QLatin1Char('\n'));
}

QString RetriedCall::delaysText() const
{
    QStringList parts;
    parts.reserve(qsizetype(delaysMs.size()));
    for (const std::int64_t delay : delaysMs)
        parts << QString::number(delay) + QStringLiteral(" ms");
    return parts.join(QStringLiteral(", "));
}

QString RetriedCall::lastUpdateText() const
{
    const auto ms =
        std::chrono::duration_cast<std::chrono::milliseconds>(lastUpdate.time_since_epoch());
    return QDateTime::fromMSecsSinceEpoch(ms.count()).toString(QStringLiteral("HH:mm:ss.zzz"));
}

// Mid-tone colours that read on both the light and the dark palette.
QColor RetriedCall::statusColour() const
{
    if (!isFinished())
        return QColor(181, 137, 0);
    switch (ending.value_or(CallEnding::Failed)) {
    case CallEnding::Succeeded:
        return QColor(56, 142, 60);
    case CallEnding::Failed:
        return QColor(220, 50, 47);
    case CallEnding::Skipped:
    case CallEnding::Degraded:
        break;
    }
    return QColor(203, 75, 22);
}

} // namespace breakwater
