#pragma once

#include "clock/clock.h"

#include <QIODevice>
#include <QString>
#include <QStringList>

#include <optional>

namespace breakwater {

// Which lines of the log an export keeps.
struct LogCsvFilter
{
    std::optional<WallTime> since; // events at or after this time
    QString service;               // empty: every service
    QStringList events;            // event names; empty: every event
};

struct LogCsvExportResult
{
    qint64 rowsWritten = 0; // records below the header
    qint64 linesRead = 0;
    qint64 linesSkipped = 0; // not log lines: torn by a crash, or not Breakwater's
    QString error;           // empty when it worked

    bool ok() const { return error.isEmpty(); }
};

// Streams app.log files (oldest first, as JsonLogSink::logFilesOldestFirst lists them) into CSV
// with the columns and formats of EventCsvFormatter (the dashboard's export): the header, then one
// record per kept line, RFC 4180 quoting, UTF-8, formula-looking cells neutralised. Memory stays
// constant whatever the size of the log: it reads and writes a megabyte at a time and never holds
// an event. A line that is not a log line is skipped and counted, never fatal.
LogCsvExportResult exportLogAsCsv(const QStringList& logFiles, QIODevice& out,
                                  const LogCsvFilter& filter = {});

} // namespace breakwater
