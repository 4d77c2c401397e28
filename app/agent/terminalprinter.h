#pragma once

#include "events/eventsink.h"

#include <cstdio>

namespace breakwater {

// The event stream as readable lines on a terminal: "15:04:05.123 WARN  call-7 attempt 2
// failed: 503 ...". Runs on the stream's thread; events below the level are left out.
class TerminalPrinter final : public EventSink
{
public:
    explicit TerminalPrinter(EventLevel minimum, std::FILE* out = stdout);
    void consume(std::span<const Event> events) override;
    void flush() override;

private:
    const EventLevel m_minimum;
    std::FILE* const m_out;
};

} // namespace breakwater
