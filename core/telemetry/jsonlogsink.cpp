#include "jsonlogsink.h"

#include <QDir>
#include <QFile>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <filesystem>
#include <system_error>
#include <unistd.h>

namespace breakwater {
namespace {

QString systemErrorText(int error)
{
    return QString::fromStdString(std::generic_category().message(error));
}

// A limit below a few lines would drop nearly everything the moment a write fails.
JsonLogSinkOptions sensible(JsonLogSinkOptions options)
{
    options.bufferLimit = std::max(options.bufferLimit, qsizetype(16 * 1024));
    options.writeThreshold = std::clamp(options.writeThreshold, qsizetype(1), options.bufferLimit);
    return options;
}

} // namespace

JsonLogSink::JsonLogSink(QString logDir, JsonLogSinkOptions options)
    : m_logDir(std::move(logDir))
    , m_filePath(QDir(m_logDir).filePath(QStringLiteral("app.log")))
    , m_options(sensible(std::move(options)))
{
    // Reserved once: a steady stream appends and writes without reallocating, and the pages
    // beyond what is used are never touched.
    m_buffer.reserve(m_options.bufferLimit);
}

JsonLogSink::~JsonLogSink()
{
    closeFile();
}

QString JsonLogSink::open()
{
    closeFile();
    if (m_logDir.isEmpty())
        return QStringLiteral("no log directory given");
    std::error_code error;
    std::filesystem::create_directories(QFile::encodeName(m_logDir).toStdString(), error);
    if (error) {
        return QStringLiteral("cannot create the log directory %1: %2")
            .arg(QDir::toNativeSeparators(m_logDir), QString::fromStdString(error.message()));
    }
    m_fd = ::open(QFile::encodeName(m_filePath).constData(),
                  O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
    if (m_fd < 0) {
        const int openError = errno;
        return QStringLiteral("cannot open the log file %1: %2")
            .arg(QDir::toNativeSeparators(m_filePath), systemErrorText(openError));
    }
    m_writesFailing = false;
    return {};
}

void JsonLogSink::consume(std::span<const Event> events)
{
    qsizetype peak = m_peakBufferBytes.load(std::memory_order_relaxed);
    for (const Event& event : events) {
        if (event.level < m_options.minimumLevel)
            continue;
        const qsizetype room = JsonLinesFormatter::maxLineSize(event);
        if (m_buffer.size() + room > m_options.bufferLimit) {
            if (!m_writesFailing)
                writeBuffer();
            // A quarter at a time, so a long failure costs one move per many events, not each.
            if (m_buffer.size() + room > m_options.bufferLimit)
                dropOldestLines(std::max(m_buffer.size() + room - m_options.bufferLimit,
                                         m_options.bufferLimit / 4));
        }
        m_formatter.append(event, m_buffer);
        ++m_bufferedLines;
        peak = std::max(peak, m_buffer.size());
        if (m_buffer.size() >= m_options.writeThreshold && !m_writesFailing)
            writeBuffer();
    }
    m_peakBufferBytes.store(peak, std::memory_order_relaxed);
}

void JsonLogSink::flush()
{
    writeBuffer();
}

QString JsonLogSink::lastWriteError() const
{
    std::lock_guard lock(m_errorMutex);
    return m_lastWriteError;
}

void JsonLogSink::writeBuffer()
{
    if (m_fd < 0 || m_buffer.isEmpty())
        return;
    qsizetype written = 0;
    int error = 0;
    while (written < m_buffer.size()) {
        const ssize_t n =
            ::write(m_fd, m_buffer.constData() + written, std::size_t(m_buffer.size() - written));
        if (n > 0) {
            written += n;
        } else if (n < 0 && errno == EINTR) {
            continue;
        } else {
            error = n < 0 ? errno : EIO;
            break;
        }
    }
    m_bytesWritten.fetch_add(std::uint64_t(written), std::memory_order_relaxed);
    if (error == 0) {
        m_eventsWritten.fetch_add(std::uint64_t(m_bufferedLines), std::memory_order_relaxed);
        m_bufferedLines = 0;
        m_bufferStartsMidLine = false;
        m_buffer.resize(0); // keeps the capacity, unlike clear()
        m_writesFailing = false;
        return;
    }
    // Only whole lines count as written; the tail of a line cut short stays first in the buffer,
    // so the next write that works completes it.
    const char* const data = m_buffer.constData();
    const auto linesOut = std::count(data, data + written, '\n');
    m_eventsWritten.fetch_add(std::uint64_t(linesOut), std::memory_order_relaxed);
    m_bufferedLines -= linesOut;
    if (written > 0)
        m_bufferStartsMidLine = data[written - 1] != '\n';
    removeFront(written);
    noteWriteFailure(error);
}

// Moves the rest down rather than QByteArray::remove(), which may only advance the start and so
// lose the room reserved at the end.
void JsonLogSink::removeFront(qsizetype bytes) noexcept
{
    if (bytes <= 0)
        return;
    char* const data = m_buffer.data();
    std::memmove(data, data + bytes, std::size_t(m_buffer.size() - bytes));
    m_buffer.resize(m_buffer.size() - bytes);
}

void JsonLogSink::dropOldestLines(qsizetype bytesNeeded) noexcept
{
    char* const data = m_buffer.data();
    const qsizetype size = m_buffer.size();
    // A line already half in the file is kept: dropping its tail would glue its head to the next
    // line written and corrupt both.
    qsizetype from = 0;
    if (m_bufferStartsMidLine) {
        const void* newline = std::memchr(data, '\n', std::size_t(size));
        from = newline ? static_cast<const char*>(newline) - data + 1 : size;
    }
    const qsizetype target = std::min(size, from + bytesNeeded);
    qsizetype to = from;
    if (target > from) {
        const void* newline = std::memchr(data + target - 1, '\n', std::size_t(size - target + 1));
        to = newline ? static_cast<const char*>(newline) - data + 1 : size;
    }
    const auto linesDropped = std::count(data + from, data + to, '\n');
    std::memmove(data + from, data + to, std::size_t(size - to));
    m_buffer.resize(size - (to - from));
    m_bufferedLines -= linesDropped;
    m_eventsDropped.fetch_add(std::uint64_t(linesDropped), std::memory_order_relaxed);
}

void JsonLogSink::noteWriteFailure(int error)
{
    m_writeErrors.fetch_add(1, std::memory_order_relaxed);
    if (m_writesFailing)
        return;
    m_writesFailing = true;
    const QString message = QStringLiteral("cannot write to the log file %1: %2")
                                .arg(QDir::toNativeSeparators(m_filePath), systemErrorText(error));
    {
        std::lock_guard lock(m_errorMutex);
        m_lastWriteError = message;
    }
    if (m_options.onWriteError)
        m_options.onWriteError(message);
}

void JsonLogSink::closeFile()
{
    if (m_fd < 0)
        return;
    writeBuffer();
    ::close(m_fd);
    m_fd = -1;
}

} // namespace breakwater
