#pragma once

#include "clock/clock.h"
#include "events/eventsink.h"
#include "telemetry/telemetrysettings.h"

#include <QString>

#include <cstdint>
#include <memory>

namespace breakwater {

// Where the rows of the sheets.* settings go: the spreadsheet (SheetsSink) or, without one,
// <log-dir>/sheets.csv (SheetsCsvSink), in the same columns. The runtime, the metrics and the
// dashboard see either through this.
//
// Threads: start() and stop() from the owner's thread; consume() and flush() on the stream's;
// the counters from any.
class SheetsRowSink : public EventSink
{
public:
    // Opens what the rows go to and starts sending. Returns why it cannot, having started
    // nothing.
    [[nodiscard]] virtual QString start() = 0;
    // Sends what it can within `grace` and stops; what is left stays on disk for the next start.
    // Rows consumed afterwards are still kept (the stream hands over its last events after the
    // sinks are told to stop).
    virtual void stop(Duration grace) = 0;

    // "spreadsheet <id>, Sheet1!A1" or the CSV file's path: for people, never a secret.
    virtual QString destination() const = 0;
    // Rows waiting to go out.
    virtual std::uint64_t queuedRows() const = 0;
    // Rows lost (queue full, disk failing, unreadable), each also told by sheets_rows_dropped.
    virtual std::uint64_t droppedRows() const = 0;
    // Rows the destination has taken.
    virtual std::uint64_t rowsSent() const = 0;
    // Why the last attempt failed; empty once one succeeds again.
    virtual QString lastError() const = 0;
};

// The sink the settings ask for. Events it reports about itself go to `events`.
std::unique_ptr<SheetsRowSink> makeSheetsRowSink(const SheetsSettings& settings,
                                                 const QString& logDir, EventPublisher& events);

} // namespace breakwater
