#include "jsonlogsink.h"

#include "writefully.h"

#include <QDir>
#include <QFile>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <filesystem>
#include <sys/stat.h>
#include <system_error>
#include <unistd.h>
#include <utility>
#include <vector>

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
    struct stat info
    {};
    m_fileBytes = ::fstat(m_fd, &info) == 0 ? qint64(info.st_size) : 0;
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

qsizetype JsonLogSink::rotationPoint(qsizetype from) const noexcept
{
    const qsizetype size = m_buffer.size();
    if (m_options.maxFileBytes <= 0 || m_fileBytes + (size - from) <= m_options.maxFileBytes)
        return size;
    const char* const data = m_buffer.constData();
    // A line begun in this file before a failed write ends in it, whatever its size.
    if (from == 0 && m_bufferStartsMidLine) {
        const void* newline = std::memchr(data, '\n', std::size_t(size));
        return newline ? static_cast<const char*>(newline) - data + 1 : size;
    }
    const qsizetype room = std::max<qint64>(0, m_options.maxFileBytes - m_fileBytes);
    for (qsizetype i = std::min(from + room, size) - 1; i >= from; --i) {
        if (data[i] == '\n')
            return i + 1;
    }
    // Not one line fits: start a new file, unless this one is empty (a line longer than the
    // limit still has to go somewhere).
    return m_fileBytes > 0 ? from : size;
}

qsizetype JsonLogSink::writeRange(qsizetype from, qsizetype to, int& error) noexcept
{
    const qsizetype written = writeFully(m_fd, m_buffer.constData() + from, to - from, error);
    m_fileBytes += written;
    return written;
}

void JsonLogSink::writeBuffer()
{
    if (m_fd < 0 || m_buffer.isEmpty())
        return;
    qsizetype written = 0;
    int error = 0;
    while (written < m_buffer.size() && error == 0) {
        const qsizetype stop = rotationPoint(written);
        if (stop > written)
            written += writeRange(written, stop, error);
        // No next file to be had: the lines go on in this one, and the next flush tries again.
        if (error == 0 && written < m_buffer.size() && !rotate())
            written += writeRange(written, m_buffer.size(), error);
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

// app.log.N-1 -> app.log.N ... app.log -> app.log.1, then a new app.log. The new file is made and
// app.log moved aside before anything older is touched, so a rotation that cannot happen (no file
// descriptor left, a full disk) changes nothing and deletes nothing, however often it is tried;
// the log goes on in app.log meanwhile. Rotation never loses a line.
bool JsonLogSink::rotate()
{
    const auto encoded = [this](int index) {
        return QFile::encodeName(
            index == 0 ? m_filePath : m_filePath + QLatin1Char('.') + QString::number(index));
    };
    if (m_options.maxFiles <= 0) {
        if (::ftruncate(m_fd, 0) != 0)
            return false;
        m_fileBytes = 0;
        m_rotations.fetch_add(1, std::memory_order_relaxed);
        return true;
    }
    const QByteArray next = encoded(0) + ".next";
    const QByteArray aside = encoded(0) + ".rotating";
    const int fd =
        ::open(next.constData(), O_WRONLY | O_CREAT | O_TRUNC | O_APPEND | O_CLOEXEC, 0644);
    if (fd < 0)
        return false;
    if (::rename(encoded(0).constData(), aside.constData()) != 0) {
        ::close(fd);
        ::unlink(next.constData());
        return false;
    }
    ::unlink(encoded(m_options.maxFiles).constData());
    for (int index = m_options.maxFiles - 1; index >= 1; --index)
        ::rename(encoded(index).constData(), encoded(index + 1).constData());
    ::rename(aside.constData(), encoded(1).constData());
    ::rename(next.constData(), encoded(0).constData());
    ::close(m_fd);
    m_fd = fd;
    m_fileBytes = 0;
    m_rotations.fetch_add(1, std::memory_order_relaxed);
    return true;
}

QStringList JsonLogSink::logFilesOldestFirst(const QString& logDir)
{
    const QDir dir(logDir);
    std::vector<std::pair<int, QString>> rotated;
    for (const QString& name : dir.entryList({QStringLiteral("app.log.*")}, QDir::Files)) {
        bool ok = false;
        const int index = name.mid(8).toInt(&ok);
        if (ok && index > 0)
            rotated.emplace_back(index, dir.filePath(name));
    }
    std::sort(rotated.begin(), rotated.end(),
              [](const auto& a, const auto& b) { return a.first > b.first; });
    QStringList files;
    for (const auto& [index, path] : rotated)
        files.append(path);
    if (dir.exists(QStringLiteral("app.log")))
        files.append(dir.filePath(QStringLiteral("app.log")));
    return files;
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
