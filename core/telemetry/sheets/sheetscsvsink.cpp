#include "sheetscsvsink.h"

#include "telemetry/csvwriter.h"
#include "telemetry/writefully.h"

#include <QDir>
#include <QFile>

#include <algorithm>
#include <cerrno>
#include <fcntl.h>
#include <filesystem>
#include <sys/stat.h>
#include <system_error>
#include <unistd.h>

namespace breakwater {

namespace {

QString systemErrorText(int error)
{
    return QString::fromStdString(std::generic_category().message(error));
}

Event csvEvent(EventType type, EventLevel level, const QString& reason, const QString& message)
{
    Event e;
    e.time = std::chrono::system_clock::now();
    e.type = type;
    e.level = level;
    e.reason = reason;
    e.message = message;
    return e;
}

} // namespace

SheetsCsvSink::SheetsCsvSink(const SheetsSettings& settings, const QString& logDir,
                             EventPublisher& events, QString runId)
    : m_selection(selectSheetsEvents(settings.events))
    , m_logDir(logDir)
    , m_filePath(QDir(logDir).filePath(QStringLiteral("sheets.csv")))
    , m_events(events)
    , m_formatter(runId.isEmpty() ? newSheetsRunId() : std::move(runId))
    , m_drops(events, QStringLiteral("sheets.csv"), std::chrono::minutes(1))
{}

SheetsCsvSink::~SheetsCsvSink()
{
    std::lock_guard lock(m_mutex);
    writeBuffer();
    if (m_fd >= 0)
        ::close(m_fd);
}

QString SheetsCsvSink::start()
{
    std::lock_guard lock(m_mutex);
    if (m_fd >= 0)
        return {};
    std::error_code error;
    std::filesystem::create_directories(QFile::encodeName(m_logDir).toStdString(), error);
    if (error)
        return QStringLiteral("cannot create the log directory %1: %2")
            .arg(QDir::toNativeSeparators(m_logDir), QString::fromStdString(error.message()));
    m_fd = ::open(QFile::encodeName(m_filePath).constData(),
                  O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
    struct stat status = {};
    if (m_fd < 0 || ::fstat(m_fd, &status) != 0) {
        const int openError = errno;
        if (m_fd >= 0)
            ::close(m_fd);
        m_fd = -1;
        return QStringLiteral("cannot open %1: %2")
            .arg(QDir::toNativeSeparators(m_filePath), systemErrorText(openError));
    }
    if (status.st_size == 0) {
        // Before any row: a buffered header is written with the first rows, or not at all.
        QByteArray header;
        CsvWriter csv(header);
        SheetsRowFormatter::writeCsvHeader(csv);
        m_buffer.prepend(header);
        for (qsizetype& end : m_rowEnds)
            end += header.size();
    }
    return {};
}

void SheetsCsvSink::stop(Duration)
{
    std::lock_guard lock(m_mutex);
    m_stopped = true;
    writeBuffer();
}

std::uint64_t SheetsCsvSink::queuedRows() const
{
    return m_queued.load(std::memory_order_relaxed);
}

QString SheetsCsvSink::lastError() const
{
    std::lock_guard lock(m_errorMutex);
    return m_lastError;
}

void SheetsCsvSink::consume(std::span<const Event> events)
{
    std::lock_guard lock(m_mutex);
    std::uint64_t dropped = 0;
    bool any = false;
    for (const Event& event : events) {
        const auto type = std::size_t(event.type);
        if (type >= m_selection.size() || !m_selection.test(type))
            continue;
        any = true;
        if (m_buffer.size() >= kBufferLimit) {
            if (!m_failing)
                writeBuffer();
            if (m_buffer.size() >= kBufferLimit) {
                ++dropped; // the disk refuses, and memory is not a second disk
                continue;
            }
        }
        CsvWriter csv(m_buffer);
        SheetsRowFormatter::writeCsvRecord(csv, m_formatter.row(event));
        m_rowEnds.push_back(m_buffer.size());
    }
    m_queued.store(m_rowEnds.size(), std::memory_order_relaxed);
    if (!any)
        return;
    m_dropped.fetch_add(dropped);
    m_drops.noteDrops(0, dropped, m_lastError, 0);
    if (m_buffer.size() >= kWriteThreshold && !m_failing)
        writeBuffer();
}

void SheetsCsvSink::flush()
{
    std::lock_guard lock(m_mutex);
    writeBuffer();
    // Drops not told yet are told at the reminder pace, and all of them once stopping: the
    // stream's last flush comes after stop().
    if (m_stopped)
        m_drops.finish();
    else
        m_drops.remind();
}

void SheetsCsvSink::writeBuffer()
{
    if (m_fd < 0 || m_buffer.isEmpty())
        return;
    int error = 0;
    const qsizetype written = writeFully(m_fd, m_buffer.constData(), m_buffer.size(), error);
    // Rows count once whole in the file; the rest of one cut short stays first in the buffer.
    const auto done = std::upper_bound(m_rowEnds.begin(), m_rowEnds.end(), written);
    m_written.fetch_add(std::uint64_t(done - m_rowEnds.begin()));
    m_rowEnds.erase(m_rowEnds.begin(), done);
    m_queued.store(m_rowEnds.size(), std::memory_order_relaxed);
    for (qsizetype& end : m_rowEnds)
        end -= written;
    m_buffer.remove(0, written);
    noteWriteResult(error);
}

void SheetsCsvSink::setLastError(QString error)
{
    std::lock_guard lock(m_errorMutex); // written under m_mutex too: its holders may read freely
    m_lastError = std::move(error);
}

void SheetsCsvSink::noteWriteResult(int error)
{
    if (error == 0) {
        if (!m_failing)
            return;
        m_failing = false;
        setLastError({});
        m_events.publish(csvEvent(
            EventType::SheetsAppendRecovered, EventLevel::Info, QStringLiteral("written"),
            QStringLiteral("writing to %1 again").arg(QDir::toNativeSeparators(m_filePath))));
        return;
    }
    setLastError(QStringLiteral("cannot write to %1: %2")
                     .arg(QDir::toNativeSeparators(m_filePath), systemErrorText(error)));
    if (m_failing)
        return;
    m_failing = true;
    Event e =
        csvEvent(EventType::SheetsAppendFailed, EventLevel::Error, QStringLiteral("write_failed"),
                 m_lastError + QStringLiteral("; rows are kept in memory (up to %1 MB) and "
                                              "written at the next flush that works")
                                   .arg(kBufferLimit / (1024 * 1024)));
    e.errorKind = ErrorKind::Transient;
    m_events.publish(std::move(e));
}

} // namespace breakwater
