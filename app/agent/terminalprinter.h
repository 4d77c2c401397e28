#pragma once

#include "events/eventsink.h"

#include <cstdio>

namespace breakwater {

// The event stream as readable lines on a terminal: "15:04:05.123 WARNING  call-7 attempt 2
// failed: 503 ...". Runs on the stream's thread; events below the level are left out. On a
// terminal (not a pipe or a file) the level is coloured, unless NO_COLOR is set.
class TerminalPrinter final : public EventSink
{
public:
    explicit TerminalPrinter(EventLevel minimum, std::FILE* out = stdout);
    // Whether lines are coloured: by default when out is a terminal and NO_COLOR is unset.
    void setColoured(bool coloured) { m_coloured = coloured; }
    void consume(std::span<const Event> events) override;
    void flush() override;

private:
    const EventLevel m_minimum;
    std::FILE* const m_out;
    bool m_coloured;
};

} // namespace breakwater
