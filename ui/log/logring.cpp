#include "logring.h"

#include <algorithm>

namespace breakwater {
namespace {

template <typename Enum> std::uint8_t compactEnum(const std::optional<Enum>& value)
{
    return value ? std::uint8_t(*value) : LogRow::kAbsent;
}

} // namespace

LogRing::LogRing(qsizetype capacity)
    : m_capacity(capacity)
{}

LogStringRef LogRing::storeText(const QString& text, LogRowChunk& chunk)
{
    if (const std::optional<LogStringRef> ref = m_strings.intern(text))
        return *ref;
    return chunk.storeText(text);
}

void LogRing::append(const Event& event)
{
    if (m_chunks.empty() || m_chunks.back()->isFull())
        m_chunks.push_back(std::make_shared<LogRowChunk>());
    LogRowChunk& chunk = *m_chunks.back();
    LogRow row;
    row.time = event.time.time_since_epoch().count();
    row.sequence = event.sequence;
    row.callId = event.callId;
    if (event.latencyMs) {
        row.latencyMs = *event.latencyMs;
        row.flags |= LogRow::kHasLatency;
    }
    if (event.delayMs) {
        row.delayMs = *event.delayMs;
        row.flags |= LogRow::kHasDelay;
    }
    row.attempt = event.attempt;
    row.httpStatus = event.httpStatus;
    row.service = storeText(event.service, chunk);
    row.reason = storeText(event.reason, chunk);
    row.errorCode = storeText(event.errorCode, chunk);
    row.message = storeText(event.message, chunk);
    row.type = event.type;
    row.level = event.level;
    row.state = compactEnum(event.state);
    row.fromState = compactEnum(event.fromState);
    row.toState = compactEnum(event.toState);
    row.errorKind = compactEnum(event.errorKind);
    chunk.rows.push_back(row);
    // From now on snapshots may share the chunk across threads: it must not change again.
    if (chunk.isFull())
        chunk.seal();
    ++m_size;
}

void LogRing::removeOldest(qsizetype count)
{
    count = std::min(count, m_size);
    m_size -= count;
    m_first += count;
    while (m_first >= LogRowChunk::kRows) {
        m_chunks.pop_front();
        m_first -= LogRowChunk::kRows;
    }
    if (m_size == 0) {
        // The next row starts a fresh chunk rather than the middle of a half-dropped one.
        m_chunks.clear();
        m_first = 0;
    }
}

void LogRing::clear()
{
    m_chunks.clear();
    m_first = 0;
    m_size = 0;
    m_strings.clear();
}

LogRowRef LogRing::at(qsizetype index) const
{
    const qsizetype position = m_first + index;
    const LogRowChunk& chunk = *m_chunks[std::size_t(position / LogRowChunk::kRows)];
    return {chunk.rows[std::size_t(position % LogRowChunk::kRows)], chunk, m_strings.entries()};
}

LogSnapshot LogRing::snapshot()
{
    LogSnapshot::Chunks chunks;
    chunks.reserve(m_chunks.size());
    for (const std::shared_ptr<LogRowChunk>& chunk : m_chunks) {
        if (chunk->isFull())
            chunks.push_back(chunk);
        else // the ring still appends to it: the snapshot takes the rows it has now
            chunks.push_back(std::make_shared<const LogRowChunk>(*chunk, chunk->rows.size()));
    }
    return LogSnapshot(std::move(chunks), m_first, m_size, m_strings.share());
}

} // namespace breakwater
