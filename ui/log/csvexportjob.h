#pragma once

#include "logfiltersettings.h"
#include "logsnapshot.h"

#include <QObject>
#include <QString>

#include <atomic>
#include <optional>
#include <thread>

namespace breakwater {

// Which rows an export writes.
enum class ExportScope
{
    CurrentFilter, // the rows the log view shows
    Everything     // every row the log table holds
};

// Writes the rows of a log snapshot to a CSV file on a thread of its own, so the window stays
// live however large the log: the columns of EventCsvFormatter, a header first, the rows oldest
// first. The file is written through QSaveFile: until the export succeeds, an old file at the
// path is left as it was and no partial file appears, whether the export fails or is cancelled.
//
// Signals arrive on the job's thread (the GUI's): progress at most about ten times a second,
// then finished() exactly once per start(). Destroying a running job cancels it and waits for its
// thread, which is then a matter of milliseconds.
class CsvExportJob final : public QObject
{
    Q_OBJECT

public:
    // With a filter, only the rows it accepts are written.
    CsvExportJob(LogSnapshot snapshot, std::optional<LogFilterSettings> filter, QString path,
                 QObject* parent = nullptr);
    ~CsvExportJob() override;
    Q_DISABLE_COPY_MOVE(CsvExportJob)

    QString path() const { return m_path; }
    qsizetype rowsInSnapshot() const noexcept { return m_snapshot.size(); }
    bool isRunning() const noexcept { return m_running; }

    void start();
    // Harmless when not running. An export that has already saved its file stays saved.
    void cancel() noexcept { m_cancelled.store(true); }

Q_SIGNALS:
    // rowsScanned of rowsTotal rows of the snapshot read so far.
    void progress(qint64 rowsScanned, qint64 rowsTotal);
    // rowsWritten: records below the header. error: empty when ok; says why otherwise.
    void finished(bool ok, qint64 rowsWritten, const QString& error);

private:
    struct Outcome
    {
        bool ok = false;
        qint64 rowsWritten = 0;
        QString error;
    };

    Outcome run();
    void reportProgress(qint64 rowsScanned);
    void deliver(const Outcome& outcome);

    const LogSnapshot m_snapshot;
    const std::optional<LogFilterSettings> m_filter;
    const QString m_path;
    std::atomic<bool> m_cancelled{false};
    bool m_running = false; // GUI thread
    std::thread m_thread;
};

} // namespace breakwater
