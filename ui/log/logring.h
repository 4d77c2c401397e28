#pragma once

#include "logrowref.h"
#include "logsnapshot.h"
#include "logstringtable.h"

#include <deque>
#include <memory>

namespace breakwater {

// The log table's storage: compact rows in chunks of LogRowChunk::kRows, oldest first, and the
// string table they refer to. It holds at most capacity() rows once the caller has made room
// (LogTableModel removes the oldest rows, with the signals views need, before it appends); a
// chunk is freed when all its rows are gone. Row i is found in constant time.
// GUI thread only; other threads read snapshot()s.
class LogRing final
{
public:
    explicit LogRing(qsizetype capacity);
    Q_DISABLE_COPY_MOVE(LogRing)

    qsizetype size() const noexcept { return m_size; }
    qsizetype capacity() const noexcept { return m_capacity; }
    void setCapacity(qsizetype capacity) noexcept { m_capacity = capacity; }

    void append(const Event& event);
    void removeOldest(qsizetype count);
    void clear();

    LogRowRef at(qsizetype index) const;
    LogSnapshot snapshot();

    const LogStringTable& strings() const noexcept { return m_strings; }

private:
    LogStringRef storeText(const QString& text, LogRowChunk& chunk);

    std::deque<std::shared_ptr<LogRowChunk>> m_chunks;
    qsizetype m_first = 0; // rows at the front of the first chunk that are gone
    qsizetype m_size = 0;
    qsizetype m_capacity;
    LogStringTable m_strings;
};

} // namespace breakwater
