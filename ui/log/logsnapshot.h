#pragma once

#include "logrowref.h"

#include <memory>
#include <vector>

namespace breakwater {

// The log table's rows at one moment, for readers on other threads (the CSV exporter): it shares
// the ring's full chunks and string entries, which never change, and holds its own copy of the
// one chunk still filling. Taking one costs a pointer per 4096 rows, not a copy of a million
// rows on the GUI thread; rows appended afterwards are not in it. Read-only, so any number of
// threads may read one.
class LogSnapshot final
{
public:
    using Chunks = std::vector<std::shared_ptr<const LogRowChunk>>;

    LogSnapshot();
    LogSnapshot(Chunks chunks, qsizetype first, qsizetype size,
                std::shared_ptr<const LogStrings> strings);

    qsizetype size() const noexcept { return m_size; }
    LogRowRef at(qsizetype index) const;

private:
    Chunks m_chunks;
    qsizetype m_first = 0; // rows of the first chunk that the ring had already dropped
    qsizetype m_size = 0;
    std::shared_ptr<const LogStrings> m_strings;
};

} // namespace breakwater
