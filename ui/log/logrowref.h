#pragma once

#include "logrowchunk.h"
#include "logstringtable.h"

namespace breakwater {

// A row together with what its string references point into: the ring and its snapshots hand
// these out, and the model, the filter and the exporter read rows through them alike.
struct LogRowRef
{
    const LogRow& row;
    const LogRowChunk& chunk;
    const LogStrings& strings;

    QString text(LogStringRef ref) const;
    // Cheaper than text() for the text filter: table strings are not copied.
    bool contains(LogStringRef ref, QStringView needle) const;

    // The event the row was made from, whole: every field the log writes comes back as it went
    // in, the time to the clock's tick (only text past LogRowChunk::kMaxTextLength is cut).
    Event event() const;
};

} // namespace breakwater
