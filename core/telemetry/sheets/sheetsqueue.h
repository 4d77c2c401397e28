#pragma once

#include <QByteArray>
#include <QByteArrayList>
#include <QLockFile>
#include <QString>
#include <QStringList>

#include <atomic>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>

namespace breakwater {

struct SheetsQueueOptions
{
    // Rows waiting at most; past it new rows are refused and counted (the oldest are the ones
    // the spreadsheet is missing, so they are the ones kept).
    std::uint64_t maxRows = 100'000;
    // A segment file takes this many rows before the next one starts; acknowledged segments
    // are deleted whole, so this is also about how much acknowledged data lingers on disk.
    std::uint64_t segmentRows = 10'000;
};

// Rows taken from the queue for one request, oldest first, and where they end.
struct SheetsBatch
{
    QByteArrayList rows; // JSON arrays, each checked to parse as one
    std::uint64_t firstRow = 0;
    std::uint64_t endRow = 0; // one past the last row covered, unreadable ones included
    std::uint64_t lines = 0;  // rows covered: rows.size() + unreadableRows
    int unreadableRows = 0;   // lines that are not a JSON array: dropped on acknowledge()
    qsizetype bytes = 0;      // of rows, without separators

    bool isEmpty() const noexcept { return lines == 0; }

private:
    friend class SheetsQueue;
    std::uint64_t m_endSegment = 0; // cursor after the batch: segment (by first row) and offset
    qint64 m_endOffset = 0;
};

// The Sheets sink's rows while they wait for the API: bounded, in order, on disk, surviving a
// restart or a crash, and never handing out a row again once it is acknowledged.
//
// On disk (<log-dir>/sheets-queue/): append-only segment files "rows-<first row>.jsonl", one row
// per line as a JSON array, numbered consecutively from the first; and "acknowledged", the number
// of the first row not yet acknowledged, replaced atomically (QSaveFile: write, sync, rename)
// after each successful request. Segments wholly before it are deleted. On open a line cut short
// by a crash is cut off and counted as dropped; a line that does not parse is skipped when its
// turn comes, counted likewise, never sent. A row is only lost to a power failure between its
// write and the system's own writeback (rows are not synced one by one, as app.log is not);
// a row can go out twice only if the process dies between a 2xx and the acknowledgement.
// A lock file keeps two processes from sharing the directory.
//
// Threads: append() from one thread (the stream's), peek() and acknowledge() from one other (the
// sink's worker), the counters from any.
class SheetsQueue final
{
public:
    struct AppendResult
    {
        std::size_t accepted = 0;
        std::size_t droppedFull = 0;  // refused: the queue held maxRows
        std::size_t droppedWrite = 0; // the disk refused them
        QString error;                // why, with droppedWrite
    };

    SheetsQueue(QString directory, SheetsQueueOptions options);
    ~SheetsQueue();
    SheetsQueue(const SheetsQueue&) = delete;
    SheetsQueue& operator=(const SheetsQueue&) = delete;

    // Creates the directory, takes its lock and recovers what a previous run left. Returns why
    // it cannot; `problems` receives what recovery repaired (rows lost, files moved aside).
    [[nodiscard]] QString open(QStringList* problems);
    bool isOpen() const noexcept { return m_lock != nullptr; }
    const QString& directory() const noexcept { return m_directory; }

    AppendResult append(const QByteArrayList& rows);
    // Up to maxRows of the oldest rows (and at least one, however large), at most maxBytes of
    // them. Does not remove them: the same rows come again until acknowledged.
    SheetsBatch peek(int maxRows, qsizetype maxBytes) const;
    // The batch went out: it will never be handed out again. Returns why the acknowledgement
    // could not be stored (it still holds for this run; a restart would send the batch again).
    QString acknowledge(const SheetsBatch& batch);

    std::uint64_t queuedRows() const noexcept { return m_queued.load(); }
    std::uint64_t maxRows() const noexcept { return m_options.maxRows; }
    bool hasRoom() const noexcept { return queuedRows() < m_options.maxRows; }
    // Refused, unwritable, unreadable and lost to a crash, since open().
    std::uint64_t droppedRows() const noexcept { return m_dropped.load(); }

private:
    struct Segment
    {
        std::uint64_t firstRow = 0;
        std::uint64_t rows = 0;
        qint64 bytes = 0; // always ends with a whole line
    };

    QString segmentPath(std::uint64_t firstRow) const;
    QString acknowledgedPath() const;
    QString recover(QStringList* problems);
    std::uint64_t readAcknowledged(QStringList* problems) const;
    QString storeAcknowledged(std::uint64_t row) const;
    QString placeCursor(std::uint64_t acknowledged);
    bool openWriter(); // m_mutex held
    void closeWriter() noexcept;
    bool writeAll(const QByteArray& bytes, QString* error);

    const QString m_directory;
    const SheetsQueueOptions m_options;
    std::unique_ptr<QLockFile> m_lock;

    mutable std::mutex m_mutex;
    std::deque<Segment> m_segments;    // guarded by m_mutex; the last one takes appends
    std::uint64_t m_endRow = 0;        // guarded by m_mutex: the number the next row gets
    std::uint64_t m_acknowledged = 0;  // guarded by m_mutex
    std::uint64_t m_cursorSegment = 0; // guarded by m_mutex: where the first unacknowledged row
    qint64 m_cursorOffset = 0;         // guarded by m_mutex: starts
    int m_writer = -1;                 // guarded by m_mutex: the last segment, for appending

    std::atomic<std::uint64_t> m_queued{0};
    std::atomic<std::uint64_t> m_dropped{0};
};

} // namespace breakwater
