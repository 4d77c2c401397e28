#pragma once

#include <QByteArray>
#include <QFile>
#include <QString>

namespace breakwater {

// Reads the lines of one region of a queue segment, [offset, end), a piece at a time, so a batch
// never loads more than it sends. A line longer than maxLineBytes (no row the sink writes comes
// near it: only a damaged file has one) is passed over without being kept in memory and reported
// as oversized.
class SegmentReader final
{
public:
    SegmentReader(const QString& path, qint64 offset, qint64 end, qsizetype maxLineBytes);

    bool isOpen() const { return m_file.isOpen(); }
    QString errorString() const { return m_file.errorString(); }

    // The next line without its '\n'; false at the end of the region (or of the file). A line
    // over the limit comes back empty with *oversized set.
    bool next(QByteArray* line, bool* oversized);
    // Just past the last line returned.
    qint64 position() const noexcept { return m_lineEnd; }

private:
    bool fill(); // more of the region into m_buffer; false at its end

    QFile m_file;
    const qint64 m_end;
    const qsizetype m_maxLineBytes;
    qint64 m_position; // file offset of m_buffer[m_start]
    qint64 m_readUpTo; // file offset just past m_buffer's last byte
    qint64 m_lineEnd;  // file offset just past the last line returned
    QByteArray m_buffer;
    qsizetype m_start = 0;
};

} // namespace breakwater
