#pragma once

#include "events/eventsink.h"
#include "jsonlinesformatter.h"

#include <QByteArray>
#include <QString>
#include <QStringList>

#include <atomic>
#include <cstdint>
#include <functional>
#include <mutex>

namespace breakwater {

struct JsonLogSinkOptions
{
    // Events below this level are not written.
    EventLevel minimumLevel = EventLevel::Debug;
    // The buffer goes to the file once it holds this much, and on every flush().
    qsizetype writeThreshold = 256 * 1024;
    // The most the buffer holds (plus one line; at least 16 KiB) while writes fail, a full disk
    // say. Past it the oldest lines are dropped and counted, so memory stays bounded however long
    // the failure lasts.
    qsizetype bufferLimit = 4 * 1024 * 1024;
    // Told about the first failed write after open() and after every write that worked again, not
    // about each retry. Called on the thread that writes (the stream's); it must not block.
    std::function<void(const QString& error)> onWriteError;
    // Rotation: once app.log would grow past maxFileBytes it becomes app.log.1 (app.log.1 becomes
    // app.log.2, ...), keeping maxFiles of them, and a new app.log starts; always between two
    // lines. 0 turns rotation off. With maxFiles 0, app.log is emptied instead.
    qint64 maxFileBytes = 0;
    int maxFiles = 5;
};

// The structured log: every event at or above the minimum level as one JSON line appended to
// <log-dir>/app.log, rotated by size (see JsonLogSinkOptions). Lines are formatted into a buffer
// and written with plain write(2) calls when the buffer fills or the stream flushes (at least every
// flush interval), never synced, so the disk's speed reaches neither the pipeline nor the stream's
// other sinks for long. A failing disk is counted and reported, never thrown: the sink keeps going
// and tries again at the next flush.
//
// Threads: open() before the stream starts; consume() and flush() on the stream's dispatch
// thread; the counters from any thread.
class JsonLogSink final : public EventSink
{
public:
    explicit JsonLogSink(QString logDir, JsonLogSinkOptions options = {});
    ~JsonLogSink() override; // writes what is still buffered
    JsonLogSink(const JsonLogSink&) = delete;
    JsonLogSink& operator=(const JsonLogSink&) = delete;

    // Creates the directory if needed and opens app.log for appending (created 0644 if missing).
    // Returns an error naming the path and the reason, or an empty string.
    [[nodiscard]] QString open();
    QString filePath() const { return m_filePath; }

    void consume(std::span<const Event> events) override;
    void flush() override;

    std::uint64_t eventsWritten() const noexcept { return m_eventsWritten.load(); }
    std::uint64_t bytesWritten() const noexcept { return m_bytesWritten.load(); }
    std::uint64_t writeErrors() const noexcept { return m_writeErrors.load(); }
    // Lines given up because writes kept failing and the buffer was full.
    std::uint64_t eventsDropped() const noexcept { return m_eventsDropped.load(); }
    // The most log text the buffer held at once.
    qsizetype peakBufferBytes() const noexcept { return m_peakBufferBytes.load(); }
    // The last write failure, empty while none happened.
    QString lastWriteError() const;
    std::uint64_t rotations() const noexcept { return m_rotations.load(); }

    // The rotated files of a log directory and app.log, oldest first: what to read to see
    // everything that is left, in order.
    static QStringList logFilesOldestFirst(const QString& logDir);

private:
    void writeBuffer();
    // Where the write starting at `from` must stop for the file to stay within its size: after
    // the last whole line that fits; `from` when nothing fits and the file should rotate first.
    qsizetype rotationPoint(qsizetype from) const noexcept;
    qsizetype writeRange(qsizetype from, qsizetype to, int& error) noexcept;
    bool rotate();
    void removeFront(qsizetype bytes) noexcept;
    void dropOldestLines(qsizetype bytesNeeded) noexcept;
    void noteWriteFailure(int error);
    void closeFile();

    const QString m_logDir;
    const QString m_filePath;
    const JsonLogSinkOptions m_options;

    // Dispatch thread only (and open() before the stream runs).
    JsonLinesFormatter m_formatter;
    QByteArray m_buffer;
    qsizetype m_bufferedLines = 0;
    bool m_bufferStartsMidLine = false; // a write stopped inside its first line
    bool m_writesFailing = false;       // until one works again: no retry per event
    int m_fd = -1;
    qint64 m_fileBytes = 0; // app.log's size: what rotation goes by

    std::atomic<std::uint64_t> m_eventsWritten{0};
    std::atomic<std::uint64_t> m_bytesWritten{0};
    std::atomic<std::uint64_t> m_writeErrors{0};
    std::atomic<std::uint64_t> m_eventsDropped{0};
    std::atomic<qsizetype> m_peakBufferBytes{0};
    std::atomic<std::uint64_t> m_rotations{0};

    mutable std::mutex m_errorMutex;
    QString m_lastWriteError; // guarded by m_errorMutex
};

} // namespace breakwater
