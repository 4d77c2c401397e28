#include "sheetsqueue.h"

#include "segmentreader.h"

#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QRegularExpression>
#include <QSaveFile>

#include <algorithm>
#include <cerrno>
#include <fcntl.h>
#include <system_error>
#include <unistd.h>
#include <vector>

namespace breakwater {

namespace {

// No row the sink writes comes near this (SheetsRowFormatter caps every cell); a longer line is
// damage, passed over rather than read into memory.
constexpr qsizetype kMaxLineBytes = 4 * 1024 * 1024;

QString systemErrorText(int error)
{
    return QString::fromStdString(std::generic_category().message(error));
}

std::optional<std::uint64_t> segmentNumber(const QString& name)
{
    static const QRegularExpression pattern(QStringLiteral("^rows-([0-9]{20})\\.jsonl$"));
    const QRegularExpressionMatch match = pattern.match(name);
    bool ok = false;
    const std::uint64_t number = match.hasMatch() ? match.captured(1).toULongLong(&ok) : 0;
    return ok ? std::optional(number) : std::nullopt;
}

bool isJsonArray(const QByteArray& line)
{
    QJsonParseError error;
    const QJsonDocument document = QJsonDocument::fromJson(line, &error);
    return error.error == QJsonParseError::NoError && document.isArray();
}

// Kept, never deleted: the rows in it may be worth rescuing by hand.
void moveAside(const QString& path, const QString& why, QStringList* problems)
{
    QFile::rename(path, path + QStringLiteral(".unreadable"));
    problems->append(
        QStringLiteral("%1 %2 (kept as %1.unreadable)").arg(QDir::toNativeSeparators(path), why));
}

SheetsQueueOptions sensible(SheetsQueueOptions options)
{
    options.maxRows = std::max<std::uint64_t>(options.maxRows, 1);
    options.segmentRows = std::max<std::uint64_t>(options.segmentRows, 1);
    return options;
}

} // namespace

SheetsQueue::SheetsQueue(QString directory, SheetsQueueOptions options)
    : m_directory(std::move(directory))
    , m_options(sensible(options))
{}

SheetsQueue::~SheetsQueue()
{
    closeWriter();
}

QString SheetsQueue::segmentPath(std::uint64_t firstRow) const
{
    return QDir(m_directory)
        .filePath(QStringLiteral("rows-%1.jsonl").arg(firstRow, 20, 10, QLatin1Char('0')));
}

QString SheetsQueue::acknowledgedPath() const
{
    return QDir(m_directory).filePath(QStringLiteral("acknowledged"));
}

QString SheetsQueue::open(QStringList* problems)
{
    if (isOpen())
        return {};
    const QString name = QDir::toNativeSeparators(m_directory);
    if (m_directory.isEmpty() || !QDir().mkpath(m_directory))
        return QStringLiteral("cannot create the Sheets queue directory %1").arg(name);
    auto lock = std::make_unique<QLockFile>(QDir(m_directory).filePath(QStringLiteral("lock")));
    lock->setStaleLockTime(0); // held for the life of the process, which may be weeks
    if (!lock->tryLock(0)) {
        qint64 pid = 0;
        QString host;
        QString application;
        lock->getLockInfo(&pid, &host, &application);
        return lock->error() == QLockFile::LockFailedError
                   ? QStringLiteral("the Sheets queue %1 is in use by another process (pid %2)")
                         .arg(name)
                         .arg(pid)
                   : QStringLiteral("cannot lock the Sheets queue %1").arg(name);
    }
    std::lock_guard guard(m_mutex);
    QStringList repaired;
    if (QString error = recover(&repaired); !error.isEmpty())
        return error;
    if (problems)
        problems->append(repaired);
    m_lock = std::move(lock);
    return {};
}

QString SheetsQueue::recover(QStringList* problems)
{
    m_segments.clear();
    const QDir dir(m_directory);
    const QStringList names =
        dir.entryList({QStringLiteral("rows-*.jsonl")}, QDir::Files, QDir::Name);
    for (const QString& name : names) {
        const QString path = dir.filePath(name);
        const std::optional<std::uint64_t> first = segmentNumber(name);
        // Names sort as numbers (twenty digits), so an overlap is a file that is not ours.
        if (!first ||
            (!m_segments.empty() && *first < m_segments.back().firstRow + m_segments.back().rows)) {
            moveAside(path, QStringLiteral("is not a segment of this queue"), problems);
            continue;
        }
        const qint64 size = QFileInfo(path).size();
        SegmentReader reader(path, 0, size, kMaxLineBytes);
        if (!reader.isOpen())
            return QStringLiteral("cannot read %1: %2")
                .arg(QDir::toNativeSeparators(path), reader.errorString());
        Segment segment{*first, 0, 0};
        QByteArray line;
        bool oversized = false;
        while (reader.next(&line, &oversized))
            ++segment.rows;
        segment.bytes = reader.position();
        if (segment.bytes < size) {
            // The last write of a run that died: the row it held never got its newline.
            if (!QFile::resize(path, segment.bytes))
                return QStringLiteral("cannot repair %1").arg(QDir::toNativeSeparators(path));
            m_dropped.fetch_add(1);
            problems->append(QStringLiteral("%1: a row cut short by an earlier run's end was "
                                            "dropped")
                                 .arg(QDir::toNativeSeparators(path)));
        }
        if (segment.rows == 0) {
            QFile::remove(path);
            continue;
        }
        m_segments.push_back(segment);
    }
    const std::uint64_t acknowledged = readAcknowledged(problems);
    m_endRow =
        m_segments.empty() ? acknowledged : m_segments.back().firstRow + m_segments.back().rows;
    if (acknowledged > m_endRow)
        problems->append(QStringLiteral("the Sheets queue was acknowledged past its last row: "
                                        "rows written just before a power failure were lost"));
    // Nothing appends yet, so every wholly acknowledged segment can go, the last one too.
    while (!m_segments.empty() &&
           m_segments.front().firstRow + m_segments.front().rows <= acknowledged) {
        QFile::remove(segmentPath(m_segments.front().firstRow));
        m_segments.pop_front();
    }
    m_acknowledged =
        m_segments.empty() ? m_endRow : std::max(acknowledged, m_segments.front().firstRow);
    // Rows numbered from here on must never look acknowledged to the next run.
    if (m_acknowledged != acknowledged) {
        if (QString error = storeAcknowledged(m_acknowledged); !error.isEmpty())
            return error;
    }
    std::uint64_t queued = 0;
    for (const Segment& segment : m_segments)
        queued += segment.firstRow + segment.rows - std::max(segment.firstRow, m_acknowledged);
    m_queued.store(queued);
    return placeCursor(m_acknowledged);
}

std::uint64_t SheetsQueue::readAcknowledged(QStringList* problems) const
{
    const std::uint64_t oldest = m_segments.empty() ? 0 : m_segments.front().firstRow;
    QFile file(acknowledgedPath());
    if (!file.exists())
        return oldest;
    bool ok = false;
    const std::uint64_t row =
        file.open(QIODevice::ReadOnly) ? file.read(64).trimmed().toULongLong(&ok) : 0;
    if (!ok) {
        problems->append(QStringLiteral("%1 is unreadable: every row still on disk is sent "
                                        "again, so some may appear twice (find them by event_id)")
                             .arg(QDir::toNativeSeparators(acknowledgedPath())));
        return oldest;
    }
    return row;
}

QString SheetsQueue::storeAcknowledged(std::uint64_t row) const
{
    QSaveFile file(acknowledgedPath());
    if (!file.open(QIODevice::WriteOnly) || file.write(QByteArray::number(row) + '\n') < 0 ||
        !file.commit())
        return QStringLiteral("cannot store the acknowledgement in %1: %2")
            .arg(QDir::toNativeSeparators(acknowledgedPath()), file.errorString());
    return {};
}

QString SheetsQueue::placeCursor(std::uint64_t acknowledged)
{
    m_cursorSegment = m_endRow;
    m_cursorOffset = 0;
    for (const Segment& segment : m_segments) {
        if (acknowledged >= segment.firstRow + segment.rows)
            continue;
        m_cursorSegment = segment.firstRow;
        SegmentReader reader(segmentPath(segment.firstRow), 0, segment.bytes, kMaxLineBytes);
        QByteArray line;
        bool oversized = false;
        for (std::uint64_t row = segment.firstRow; row < acknowledged; ++row) {
            if (!reader.next(&line, &oversized))
                return QStringLiteral("cannot read %1")
                    .arg(QDir::toNativeSeparators(segmentPath(segment.firstRow)));
        }
        m_cursorOffset = reader.position();
        return {};
    }
    return {};
}

bool SheetsQueue::openWriter()
{
    if (m_writer >= 0 && m_segments.back().rows < m_options.segmentRows)
        return true;
    closeWriter();
    if (!m_segments.empty() && m_segments.back().rows < m_options.segmentRows) {
        const Segment& last = m_segments.back();
        m_writer = ::open(QFile::encodeName(segmentPath(last.firstRow)).constData(),
                          O_WRONLY | O_APPEND | O_CLOEXEC);
        // After a failed write the file may hold part of a line past what is counted.
        if (m_writer >= 0 && ::ftruncate(m_writer, last.bytes) != 0)
            closeWriter();
        return m_writer >= 0;
    }
    m_writer = ::open(QFile::encodeName(segmentPath(m_endRow)).constData(),
                      O_WRONLY | O_CREAT | O_TRUNC | O_APPEND | O_CLOEXEC, 0644);
    if (m_writer < 0)
        return false;
    m_segments.push_back({m_endRow, 0, 0});
    return true;
}

void SheetsQueue::closeWriter() noexcept
{
    if (m_writer >= 0)
        ::close(m_writer);
    m_writer = -1;
}

bool SheetsQueue::writeAll(const QByteArray& bytes, QString* error)
{
    qsizetype written = 0;
    while (written < bytes.size()) {
        const ssize_t n =
            ::write(m_writer, bytes.constData() + written, std::size_t(bytes.size() - written));
        if (n > 0) {
            written += n;
        } else if (n < 0 && errno == EINTR) {
            continue;
        } else {
            *error = systemErrorText(n < 0 ? errno : EIO);
            return false;
        }
    }
    return true;
}

SheetsQueue::AppendResult SheetsQueue::append(const QByteArrayList& rows)
{
    AppendResult result;
    std::lock_guard lock(m_mutex);
    const std::uint64_t queued = m_queued.load();
    const std::size_t room =
        queued >= m_options.maxRows ? 0 : std::size_t(m_options.maxRows - queued);
    const std::size_t take = std::min<std::size_t>(std::size_t(rows.size()), room);
    result.droppedFull = std::size_t(rows.size()) - take;
    std::size_t next = 0;
    while (next < take && isOpen()) {
        if (!openWriter()) {
            const int openError = errno;
            result.error =
                QStringLiteral("cannot open a segment of %1: %2")
                    .arg(QDir::toNativeSeparators(m_directory), systemErrorText(openError));
            break;
        }
        Segment& segment = m_segments.back();
        const std::size_t count =
            std::min<std::size_t>(take - next, std::size_t(m_options.segmentRows - segment.rows));
        QByteArray bytes;
        for (std::size_t i = next; i < next + count; ++i) {
            // A line break inside a row would split it in two and shift every row number after
            // it; between JSON tokens a space means the same, and inside a string a raw line
            // break was never valid JSON (the row is skipped as unreadable when its turn comes).
            const QByteArray& row = rows.at(qsizetype(i));
            bytes += row.contains('\n') ? QByteArray(row).replace('\n', ' ') : row;
            bytes += '\n';
        }
        QString error;
        if (!writeAll(bytes, &error)) {
            (void)::ftruncate(m_writer, segment.bytes);
            closeWriter();
            result.error = QStringLiteral("cannot write to %1: %2")
                               .arg(QDir::toNativeSeparators(segmentPath(segment.firstRow)), error);
            break;
        }
        segment.rows += count;
        segment.bytes += bytes.size();
        m_endRow += count;
        next += count;
        m_queued.fetch_add(count);
    }
    if (!isOpen() && next < take)
        result.error = QStringLiteral("the Sheets queue %1 is not open")
                           .arg(QDir::toNativeSeparators(m_directory));
    result.accepted = next;
    result.droppedWrite = take - next;
    m_dropped.fetch_add(result.droppedFull + result.droppedWrite);
    return result;
}

SheetsBatch SheetsQueue::peek(int maxRows, qsizetype maxBytes) const
{
    SheetsBatch batch;
    std::vector<Segment> segments;
    {
        std::lock_guard lock(m_mutex);
        if (m_queued.load() == 0)
            return batch;
        batch.firstRow = m_acknowledged;
        batch.m_endSegment = m_cursorSegment;
        batch.m_endOffset = m_cursorOffset;
        for (const Segment& segment : m_segments) {
            if (segment.firstRow >= m_cursorSegment)
                segments.push_back(segment);
        }
    }
    const std::uint64_t cursorSegment = batch.m_endSegment;
    const std::uint64_t lineLimit = std::uint64_t(std::max(maxRows, 1));
    std::uint64_t row = batch.firstRow;
    for (const Segment& segment : segments) {
        if (batch.lines >= lineLimit)
            break;
        const qint64 from = segment.firstRow == cursorSegment ? batch.m_endOffset : 0;
        row = std::max(row, segment.firstRow);
        if (from >= segment.bytes)
            continue;
        SegmentReader reader(segmentPath(segment.firstRow), from, segment.bytes, kMaxLineBytes);
        if (!reader.isOpen()) {
            if (!batch.isEmpty())
                break;
            // Gone or unreadable: its rows cannot be sent, and must not hold up the rest.
            const std::uint64_t lost = segment.firstRow + segment.rows - row;
            batch.lines += lost;
            batch.unreadableRows += int(lost);
            row += lost;
            batch.m_endSegment = segment.firstRow;
            batch.m_endOffset = segment.bytes;
            continue;
        }
        QByteArray line;
        bool oversized = false;
        bool full = false;
        while (!full && reader.next(&line, &oversized)) {
            if (!oversized && isJsonArray(line)) {
                if (!batch.rows.isEmpty() && batch.bytes + line.size() > maxBytes)
                    break; // it waits for the next batch, and so does everything after it
                batch.bytes += line.size();
                batch.rows.append(line);
            } else {
                ++batch.unreadableRows;
            }
            ++batch.lines;
            ++row;
            batch.m_endSegment = segment.firstRow;
            batch.m_endOffset = reader.position();
            full = batch.lines >= lineLimit;
        }
        // The next segment only once this one is read to its end: rows go out in order.
        if (batch.m_endSegment != segment.firstRow || batch.m_endOffset < segment.bytes)
            break;
    }
    batch.endRow = row;
    return batch;
}

QString SheetsQueue::acknowledge(const SheetsBatch& batch)
{
    if (batch.isEmpty())
        return {};
    {
        std::lock_guard lock(m_mutex);
        if (batch.firstRow != m_acknowledged)
            return QStringLiteral("a batch from row %1 was acknowledged, but the queue starts "
                                  "at row %2")
                .arg(batch.firstRow)
                .arg(m_acknowledged);
    }
    // Stored first: once the rows are out, a crash must not find them unacknowledged.
    const QString error = storeAcknowledged(batch.endRow);
    QStringList doomed;
    {
        std::lock_guard lock(m_mutex);
        m_acknowledged = batch.endRow;
        m_cursorSegment = batch.m_endSegment;
        m_cursorOffset = batch.m_endOffset;
        m_queued.fetch_sub(std::min<std::uint64_t>(batch.lines, m_queued.load()));
        m_dropped.fetch_add(std::uint64_t(batch.unreadableRows));
        // The last segment takes appends and stays, even when all of it is acknowledged.
        while (m_segments.size() > 1 &&
               m_segments.front().firstRow + m_segments.front().rows <= m_acknowledged) {
            doomed.append(segmentPath(m_segments.front().firstRow));
            m_segments.pop_front();
            if (m_cursorSegment < m_segments.front().firstRow) {
                m_cursorSegment = m_segments.front().firstRow;
                m_cursorOffset = 0;
            }
        }
    }
    for (const QString& path : doomed)
        QFile::remove(path);
    return error;
}

} // namespace breakwater
