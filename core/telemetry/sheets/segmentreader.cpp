#include "segmentreader.h"

#include <algorithm>

namespace breakwater {

namespace {

constexpr qint64 kPieceBytes = 256 * 1024;

} // namespace

SegmentReader::SegmentReader(const QString& path, qint64 offset, qint64 end, qsizetype maxLineBytes)
    : m_file(path)
    , m_end(end)
    , m_maxLineBytes(maxLineBytes)
    , m_position(offset)
    , m_readUpTo(offset)
    , m_lineEnd(offset)
{
    if (m_file.open(QIODevice::ReadOnly) && !m_file.seek(offset))
        m_file.close();
}

bool SegmentReader::fill()
{
    const qint64 want = std::min(kPieceBytes, m_end - m_readUpTo);
    if (want <= 0 || !m_file.isOpen())
        return false;
    if (m_start > 0) {
        m_buffer.remove(0, m_start);
        m_start = 0;
    }
    const qsizetype before = m_buffer.size();
    m_buffer.resize(before + qsizetype(want));
    const qint64 got = m_file.read(m_buffer.data() + before, want);
    m_buffer.resize(before + qsizetype(std::max<qint64>(got, 0)));
    if (got <= 0)
        return false;
    m_readUpTo += got;
    return true;
}

bool SegmentReader::next(QByteArray* line, bool* oversized)
{
    *oversized = false;
    bool skipping = false; // inside a line too long to keep
    for (;;) {
        const qsizetype newline = m_buffer.indexOf('\n', m_start);
        if (newline >= 0) {
            const qsizetype length = newline - m_start;
            if (skipping || length > m_maxLineBytes) {
                line->clear();
                *oversized = true;
            } else {
                *line = m_buffer.mid(m_start, length);
            }
            m_position += length + 1;
            m_start = newline + 1;
            m_lineEnd = m_position;
            return true;
        }
        const qsizetype pending = m_buffer.size() - m_start;
        if (pending > m_maxLineBytes) {
            // Forget what there is of it, keep looking for its end.
            skipping = true;
            m_position += pending;
            m_buffer.clear();
            m_start = 0;
        }
        // A region that ends inside a line has no more lines: the queue's regions end with one.
        if (!fill())
            return false;
    }
}

} // namespace breakwater
