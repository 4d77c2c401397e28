#pragma once

#include "events/event.h"
#include "isotimestampwriter.h"
#include "loglineparser.h" // the way back, for readers of what this writes

#include <QByteArray>

#include <string>

namespace breakwater {

// Writes events as the lines of app.log: one JSON object per line, UTF-8, the fields in the order
// of the log contract, each left out when it does not apply, and `seq` last so a reader can tell
// that nothing is missing:
//   {"ts":"2026-11-28T15:04:05.123Z","level":"warning","event":"attempt_failed",...,"seq":42}
// It runs once per event on the sink's thread, so the line is written by hand straight into the
// caller's buffer: no JSON document, no temporary strings. Keeps the current second's timestamp
// text between calls, so one formatter serves one thread.
class JsonLinesFormatter final
{
public:
    // Appends the event's line, '\n' included.
    void append(const Event& event, QByteArray& out);
    void append(const Event& event, std::string& out);
    QByteArray format(const Event& event);

    // The most bytes append() adds for this event; a buffer with this much room never reallocates.
    static qsizetype maxLineSize(const Event& event) noexcept;

private:
    char* write(char* out, const Event& event) noexcept;

    IsoTimestampWriter m_timestamp;
};

} // namespace breakwater
