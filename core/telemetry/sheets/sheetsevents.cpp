#include "sheetsevents.h"

#include <chrono>

namespace breakwater {

namespace {

using std::chrono::milliseconds;
using std::chrono::steady_clock;
using std::chrono::system_clock;

Event sheetsEvent(EventType type, EventLevel level)
{
    Event e;
    e.time = system_clock::now();
    e.type = type;
    e.level = level;
    return e;
}

QString rowsText(std::uint64_t rows)
{
    return rows == 1 ? QStringLiteral("1 row") : QStringLiteral("%1 rows").arg(rows);
}

// What a person can do about a refusal.
QString remedy(const SheetsAppendOutcome& outcome)
{
    if (outcome.reason == u"unauthorized" || outcome.reason == u"token_refused")
        return QStringLiteral("check sheets.credentials_file or sheets.bearer_token");
    if (outcome.reason == u"forbidden")
        return QStringLiteral("share the spreadsheet with the account, as an editor");
    if (outcome.reason == u"not_found" || outcome.reason == u"bad_request")
        return QStringLiteral("check sheets.spreadsheet_id and sheets.range");
    return QStringLiteral("check the sheets settings");
}

} // namespace

QString sheetsDurationText(Duration duration)
{
    const double seconds = std::chrono::duration<double>(duration).count();
    if (seconds < 120)
        return QString::number(seconds, 'f', 1) + QStringLiteral(" s");
    return QString::number(seconds / 60, 'f', 0) + QStringLiteral(" min");
}

Event sheetsAppendFailedEvent(const SheetsAppendOutcome& outcome, Duration retryIn,
                              std::uint64_t waitingRows)
{
    const bool permanent = outcome.verdict != SheetsAppendOutcome::Verdict::Transient;
    Event e = sheetsEvent(EventType::SheetsAppendFailed,
                          permanent ? EventLevel::Error : EventLevel::Warning);
    e.reason = outcome.reason;
    e.errorKind = permanent ? ErrorKind::Permanent : ErrorKind::Transient;
    e.httpStatus = outcome.httpStatus;
    e.errorCode = outcome.googleCode;
    e.delayMs = std::chrono::duration_cast<milliseconds>(retryIn).count();
    e.message = outcome.message + QStringLiteral("; %1 kept, trying again in %2")
                                      .arg(rowsText(waitingRows), sheetsDurationText(retryIn));
    if (permanent)
        e.message += QStringLiteral(" (retrying alone will not fix this: ") + remedy(outcome) +
                     QLatin1Char(')');
    return e;
}

Event sheetsAppendRecoveredEvent(int failedAttempts, Duration outage, std::uint64_t sentRows,
                                 std::uint64_t waitingRows)
{
    Event e = sheetsEvent(EventType::SheetsAppendRecovered, EventLevel::Info);
    e.reason = QStringLiteral("appended");
    e.message = QStringLiteral("appending again after %1 failed attempt%2 over %3: %4 sent, %5 "
                               "still waiting")
                    .arg(failedAttempts)
                    .arg(failedAttempts == 1 ? QString() : QStringLiteral("s"))
                    .arg(sheetsDurationText(outage), rowsText(sentRows), rowsText(waitingRows));
    return e;
}

Event sheetsRowsDroppedEvent(const QString& reason, const QString& message)
{
    Event e = sheetsEvent(EventType::SheetsRowsDropped, EventLevel::Error);
    e.reason = reason;
    e.message = message;
    return e;
}

SheetsDropReporter::SheetsDropReporter(EventPublisher& events, QString destination,
                                       Duration reminderInterval)
    : m_events(events)
    , m_destination(std::move(destination))
    , m_reminderInterval(reminderInterval)
{}

void SheetsDropReporter::noteDrops(std::uint64_t full, std::uint64_t failed, const QString& error,
                                   std::uint64_t maxRows)
{
    const TimePoint now = steady_clock::now();
    if (full + failed == 0) {
        noteRoomAt(now); // every row went in
        return;
    }
    m_roomSince.reset();
    m_inBurst = true;
    m_unreported += full + failed;
    m_burstTotal += full + failed;
    m_maxRows = maxRows;
    m_reason = failed > 0 ? QStringLiteral("write_failed") : QStringLiteral("queue_full");
    if (failed > 0)
        m_error = error;
    if (mayReport(now))
        report(Told::Reminder);
}

void SheetsDropReporter::noteRoom()
{
    // Room says nothing about a disk that refuses writes: only a write that works ends that.
    if (m_reason == u"queue_full")
        noteRoomAt(steady_clock::now());
}

void SheetsDropReporter::remind()
{
    if (m_unreported > 0 && mayReport(steady_clock::now()))
        report(Told::Reminder);
}

void SheetsDropReporter::finish()
{
    if (m_unreported > 0)
        report(Told::Final);
    endBurst();
}

bool SheetsDropReporter::mayReport(TimePoint now) const
{
    // A queue held at its maximum with rows coming faster than they leave has room one moment
    // and none the next: counted from the last report, not from the burst, so that a burst
    // beginning just after another is not told at once.
    return !m_lastReport || now - *m_lastReport >= m_reminderInterval;
}

void SheetsDropReporter::noteRoomAt(TimePoint now)
{
    if (!m_inBurst)
        return;
    if (!m_roomSince)
        m_roomSince = now;
    // Over only once the room has lasted a reminder interval; until then the drops not yet told
    // wait for it (or for the next drop, or remind(), at the next allowed moment). The last
    // report came before the room, so telling them now keeps the pace.
    if (now - *m_roomSince < m_reminderInterval)
        return;
    if (m_unreported > 0)
        report(Told::RoomAgain);
    endBurst();
}

void SheetsDropReporter::endBurst()
{
    m_inBurst = false;
    m_roomSince.reset();
    m_burstTotal = 0;
    m_error.clear();
}

void SheetsDropReporter::report(Told told)
{
    QString message;
    if (m_reason == u"write_failed")
        message = QStringLiteral("%1 for %2 dropped: %3")
                      .arg(rowsText(m_unreported), m_destination, m_error);
    else
        message = QStringLiteral("%1 for %2 dropped: the queue holds its maximum of %3 while "
                                 "the API is away")
                      .arg(rowsText(m_unreported), m_destination)
                      .arg(m_maxRows);
    switch (told) {
    case Told::Reminder:
        message += QStringLiteral("; further drops are counted and told at most every %1")
                       .arg(sheetsDurationText(m_reminderInterval));
        break;
    case Told::RoomAgain:
        message += QStringLiteral("; room again, %1 dropped in all").arg(m_burstTotal);
        break;
    case Told::Final:
        message += QStringLiteral("; stopping, %1 dropped in all").arg(m_burstTotal);
        break;
    }
    m_events.publish(sheetsRowsDroppedEvent(m_reason, message));
    m_reported += m_unreported;
    m_unreported = 0;
    m_lastReport = steady_clock::now();
}

} // namespace breakwater
