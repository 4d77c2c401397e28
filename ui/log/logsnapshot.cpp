#include "logsnapshot.h"

namespace breakwater {

LogSnapshot::LogSnapshot()
    : m_strings(std::make_shared<const LogStrings>())
{}

LogSnapshot::LogSnapshot(Chunks chunks, qsizetype first, qsizetype size,
                         std::shared_ptr<const LogStrings> strings)
    : m_chunks(std::move(chunks))
    , m_first(first)
    , m_size(size)
    , m_strings(std::move(strings))
{}

LogRowRef LogSnapshot::at(qsizetype index) const
{
    const qsizetype position = m_first + index;
    const LogRowChunk& chunk = *m_chunks[std::size_t(position / LogRowChunk::kRows)];
    return {chunk.rows[std::size_t(position % LogRowChunk::kRows)], chunk, *m_strings};
}

} // namespace breakwater
