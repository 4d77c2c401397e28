#pragma once

#include "sheetsevents.h"
#include "sheetsrow.h"
#include "sheetsrowsink.h"

#include <QByteArray>

#include <atomic>
#include <mutex>
#include <vector>

namespace breakwater {

// Without a spreadsheet, the rows the Sheets sink would append go to <log-dir>/sheets.csv
// instead, in the same columns (with a header when the file is new), RFC 4180 with formula
// neutralising as CsvWriter writes it. Nothing else changes for the user but the destination.
//
// Rows are formatted into a buffer on the stream's thread and written with plain write(2) calls
// when it fills and on every flush(), as app.log is. A failing disk is told once
// (sheets_append_failed) and once more when it works again; while it fails the buffer holds up
// to a few megabytes, and rows past that are counted and told (sheets_rows_dropped).
class SheetsCsvSink final : public SheetsRowSink
{
public:
    SheetsCsvSink(const SheetsSettings& settings, const QString& logDir, EventPublisher& events,
                  QString runId = {});
    ~SheetsCsvSink() override; // writes what is still buffered
    SheetsCsvSink(const SheetsCsvSink&) = delete;
    SheetsCsvSink& operator=(const SheetsCsvSink&) = delete;

    // Creates the log directory if needed and opens sheets.csv for appending.
    [[nodiscard]] QString start() override;
    // Writes what is buffered; the file stays open for rows the stream still hands over.
    void stop(Duration grace) override;

    void consume(std::span<const Event> events) override;
    void flush() override;

    QString filePath() const { return m_filePath; }
    QString destination() const override { return m_filePath; }
    std::uint64_t queuedRows() const override;
    std::uint64_t droppedRows() const override { return m_dropped.load(); }
    std::uint64_t rowsSent() const override { return m_written.load(); }
    QString lastError() const override;

    static constexpr qsizetype kWriteThreshold = 64 * 1024;
    static constexpr qsizetype kBufferLimit = 4 * 1024 * 1024;

private:
    void writeBuffer(); // m_mutex held
    void noteWriteResult(int error);
    void setLastError(QString error);

    const SheetsEventSelection m_selection;
    const QString m_logDir;
    const QString m_filePath;
    EventPublisher& m_events;

    // The stream's thread and stop() both write under it, which may take a while on a slow disk:
    // what a scrape or the window reads (queuedRows(), lastError()) is kept apart from it.
    mutable std::mutex m_mutex;
    mutable std::mutex m_errorMutex;        // m_lastError, also under m_mutex when written
    std::atomic<std::uint64_t> m_queued{0}; // m_rowEnds.size()
    SheetsRowFormatter m_formatter;
    SheetsDropReporter m_drops;
    QByteArray m_buffer;
    std::vector<qsizetype> m_rowEnds; // where each buffered row ends in m_buffer
    int m_fd = -1;
    bool m_failing = false;
    bool m_stopped = false;
    QString m_lastError;

    std::atomic<std::uint64_t> m_written{0};
    std::atomic<std::uint64_t> m_dropped{0};
};

} // namespace breakwater
