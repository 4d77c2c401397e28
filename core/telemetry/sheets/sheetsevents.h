#pragma once

#include "clock/clock.h"
#include "events/eventsink.h"
#include "sheetsappend.h"

#include <QString>

#include <cstdint>
#include <optional>

namespace breakwater {

// The events the Sheets sinks publish about themselves: sheets_append_failed (a warning while it
// will be tried again soon, an error for a refusal that needs someone to act),
// sheets_append_recovered and sheets_rows_dropped. None of them holds a secret: every text
// that came from a server has been scrubbed before it gets here.
Event sheetsAppendFailedEvent(const SheetsAppendOutcome& outcome, Duration retryIn,
                              std::uint64_t waitingRows);
Event sheetsAppendRecoveredEvent(int failedAttempts, Duration outage, std::uint64_t sentRows,
                                 std::uint64_t waitingRows);
// reason: "queue_full", "write_failed" or "unreadable".
Event sheetsRowsDroppedEvent(const QString& reason, const QString& message);

// "1.5 s", "3 min": how people read a wait.
QString sheetsDurationText(Duration duration);

// Counts rows the queue (or the CSV buffer) refuses and says so once per burst, not once per
// row: at the first drop, then at most once per reminder interval while the drops go on, and a
// last time when the burst is over (room for a whole reminder interval) with the drops not yet
// told. The pace holds across bursts: a burst that begins less than a reminder interval after
// the last report is told once the interval is up. No count is lost: what is not told yet is told
// at the next allowed moment, at the end of the burst, or by finish(). One thread (the stream's).
class SheetsDropReporter final
{
public:
    SheetsDropReporter(EventPublisher& events, QString destination, Duration reminderInterval);

    // After an append: `full` rows found no room (of maxRows), `failed` could not be written.
    void noteDrops(std::uint64_t full, std::uint64_t failed, const QString& error,
                   std::uint64_t maxRows);
    // The queue has room: a burst of "queue full" drops is over once that lasts.
    void noteRoom();
    // Tells the drops not told yet, if the reminder interval allows it now.
    void remind();
    // Tells the drops not told yet whatever the pace: the sink stops.
    void finish();

    std::uint64_t reported() const noexcept { return m_reported; }

private:
    enum class Told
    {
        Reminder,
        RoomAgain,
        Final,
    };

    bool mayReport(TimePoint now) const;
    void noteRoomAt(TimePoint now);
    void report(Told told);
    void endBurst();

    EventPublisher& m_events;
    const QString m_destination;
    const Duration m_reminderInterval;
    bool m_inBurst = false;
    std::uint64_t m_unreported = 0;
    std::uint64_t m_burstTotal = 0;
    std::uint64_t m_reported = 0;
    std::uint64_t m_maxRows = 0;
    QString m_reason;
    QString m_error;
    std::optional<TimePoint> m_lastReport;
    std::optional<TimePoint> m_roomSince; // while a burst's queue has room
};

} // namespace breakwater
