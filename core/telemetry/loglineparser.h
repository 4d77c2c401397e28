#pragma once

#include "events/event.h"

#include <QByteArrayView>

#include <optional>

namespace breakwater {

// Reads one line of app.log back into an Event: every field JsonLinesFormatter writes comes back
// as it went in (the time to the millisecond, the latency to three decimals). A trailing "\n" or
// "\r\n" is allowed; unknown fields are ignored, so older readers keep working when fields are
// added. Returns nothing for a line that is not such an object: not JSON, no known `event` or
// `level`, no valid `ts`, or a known field of the wrong type or with an unknown name.
// For tests and tools (the CSV exporter), not for hot paths: it builds a JSON document.
std::optional<Event> parseLogLine(QByteArrayView line);

} // namespace breakwater
